#include "api/protocol/codec.h"

#include "api/protocol/cbor_protocol.h"

namespace shoal::api {
namespace {

class JsonCodec final : public Codec {
 public:
  explicit JsonCodec(const JsonDialect& dialect) : dialect_(dialect) {}
  WireFormat format() const override { return WireFormat::kJson; }
  std::variant<nlohmann::json, AwsError> parse(std::string_view body, const model::Shape* input) const override {
    return parse_json_body(body, dialect_, DecodeGuide::follow(input));
  }
  ApiResponse result(nlohmann::json output, const model::Shape* shape,
                     const std::string& request_id) const override {
    prepare_json_output(shape, output);
    return render_json_result(output, dialect_, request_id);
  }
  // An action without output (DeleteStream, MergeShards, ...) answers no body
  // at all in Kinesis; result() keeps writing {} for event-stream payloads
  // (SubscribeToShard's initial-response is "{}" on AWS).
  ApiResponse action_result(std::string_view action, nlohmann::json output, const model::Shape* shape,
                            const std::string& request_id) const override {
    if (shape == nullptr && dialect_.no_output_is_empty_body) return render_json_empty_result(dialect_, request_id);
    return Codec::action_result(action, std::move(output), shape, request_id);
  }
  ApiResponse error(const AwsError& e, const std::string& request_id) const override {
    return render_json_error(e, dialect_, request_id);
  }

 private:
  const JsonDialect& dialect_;
};

class CborCodec final : public Codec {
 public:
  WireFormat format() const override { return WireFormat::kCbor; }
  std::variant<nlohmann::json, AwsError> parse(std::string_view body, const model::Shape* input) const override {
    return parse_cbor_body(body, DecodeGuide::follow(input));
  }
  ApiResponse result(nlohmann::json output, const model::Shape* shape,
                     const std::string& request_id) const override {
    return render_cbor_result(output, shape, request_id);
  }
  // Only Kinesis speaks CBOR here: an action without output answers no body,
  // as over JSON (an event's payload still goes through result()).
  ApiResponse action_result(std::string_view action, nlohmann::json output, const model::Shape* shape,
                            const std::string& request_id) const override {
    if (shape == nullptr) return render_cbor_empty_result(request_id);
    return Codec::action_result(action, std::move(output), shape, request_id);
  }
  ApiResponse error(const AwsError& e, const std::string& request_id) const override {
    return render_cbor_error(e, request_id);
  }
};

}  // namespace

const Codec& json_codec(const JsonDialect& dialect) {
  static const JsonCodec kSqs(kSqsJson);
  static const JsonCodec kKinesis(kKinesisJson);
  static const JsonCodec kPlain(kPlainJson);
  if (&dialect == &kSqsJson) return kSqs;
  if (&dialect == &kKinesisJson) return kKinesis;
  return kPlain;
}

const Codec& cbor_codec() {
  static const CborCodec kCbor;
  return kCbor;
}

}  // namespace shoal::api
