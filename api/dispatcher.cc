#include "api/dispatcher.h"

#include <stdexcept>
#include <string_view>

#include "api/durable_pending.h"
#include "storage/durability/iterator_key.h"
#include "storage/durability/replay_clock.h"
#include "api/protocol/codec.h"
#include "api/request_context.h"
#include "api/kinesis/kinesis_service.h"
#include "api/protocol/cbor_protocol.h"
#include "api/protocol/query_codec.h"
#include "api/service.h"
#include "api/sqs/sqs_service.h"
#include "storage/queue/queue_registry.h"
#include "storage/random.h"

namespace shoal::api {
namespace {

constexpr std::string_view kSqsTarget = "AmazonSQS.";
constexpr std::string_view kKinesisTarget = "Kinesis_20131202.";

ApiResponse render(ActionResult& result, const Codec& codec, std::string_view action, const model::Shape* shape,
                   const std::string& request_id) {
  if (result.error) return codec.error(*result.error, request_id);
  return codec.action_result(action, std::move(result.output), shape, request_id);
}

// Adapts a protocol-neutral long poll to the server's PendingResponse by
// rendering its result in the caller's encoding.
class RenderedPending final : public PendingResponse {
 public:
  RenderedPending(std::unique_ptr<PendingAction> action, const Codec& codec, std::string_view action_name,
                  const model::Shape* shape, std::string request_id)
      : action_(std::move(action)),
        codec_(codec),
        action_name_(action_name),
        shape_(shape),
        request_id_(std::move(request_id)) {}

  std::optional<ApiResponse> poll(bool final) override {
    auto result = action_->poll(final);
    if (!result) return std::nullopt;
    return render(*result, codec_, action_name_, shape_, request_id_);
  }
  std::chrono::milliseconds time_to_next_check() const override { return action_->time_to_next_check(); }
  void set_waker(std::function<void()> wake) override { action_->set_waker(std::move(wake)); }
  void cancel() override { action_->cancel(); }

 private:
  std::unique_ptr<PendingAction> action_;
  const Codec& codec_;
  std::string action_name_;
  const model::Shape* shape_;
  std::string request_id_;
};

Outcome answer(ApiResponse response) { return {std::move(response), nullptr}; }

using storage::durability::DurableStore;

// Holds an answer until the changes it acknowledges are durable.
struct Durability {
  DurableStore* store = nullptr;
  bool async = true;
};

Outcome after_log(Outcome outcome, storage::journal::Lsn lsn, const Durability& durability) {
  if (durability.store == nullptr) return outcome;
  if (outcome.pending) {
    outcome.pending = std::make_unique<DurablePending>(std::move(outcome.pending), *durability.store);
    return outcome;
  }
  if (lsn == 0) return outcome;
  if (!durability.async) {
    durability.store->wait_durable(lsn);
    return outcome;
  }
  auto held = std::make_unique<DurablePending>(std::move(*outcome.response), lsn, *durability.store);
  if (held->ready()) return answer(*held->poll(true));
  return {std::nullopt, std::move(held)};
}

// The shared request path once service, action and codec are known.
Outcome run(Service& service, std::string_view action, const Codec& codec, const ApiRequest& request,
            const RequestContext& ctx, const Durability& durability) {
  if (!codec.accepts_method(request.method)) {
    return answer(codec.error({"MethodNotAllowed", "", 405, true, "AWS JSON and CBOR requests must use POST."},
                              ctx.request_id));
  }
  auto parsed = codec.parse_request(request, action, ctx);
  if (auto* error = std::get_if<AwsError>(&parsed)) return answer(codec.error(*error, ctx.request_id));
  auto& input = std::get<nlohmann::json>(parsed);
  if (durability.store != nullptr) DurableStore::take_thread_lsn();
  auto result = service.call(action, input, codec.format(), ctx);
  const auto lsn = durability.store != nullptr ? DurableStore::take_thread_lsn() : 0;
  const auto* operation = service.model().operation(action);
  const model::Shape* shape = operation != nullptr ? operation->output : nullptr;
  if (result.pending) {
    return after_log({std::nullopt, std::make_unique<RenderedPending>(std::move(result.pending), codec, action,
                                                                      shape, ctx.request_id)},
                     lsn, durability);
  }
  return after_log(answer(render(result, codec, action, shape, ctx.request_id)), lsn, durability);
}

// Loads the data directory's iterator key into the Kinesis options.
DispatcherOptions with_iterator_key(DispatcherOptions options) {
  if (!options.durable) return options;
  std::string error;
  auto key = storage::durability::load_or_create_iterator_key(options.durable->journal.dir, &error);
  if (!key) throw std::runtime_error(error);
  options.kinesis.iterator_key = std::move(*key);
  return options;
}

}  // namespace

struct Dispatcher::Impl {
  explicit Impl(DispatcherOptions o)
      : options(with_iterator_key(std::move(o))),
        clock(options.clock != nullptr ? *options.clock : system_clock),
        queues(clock),
        sqs(queues, clock),
        streams(clock, options.kinesis),
        kinesis(streams, clock) {
    if (!options.durable) return;
    std::string error;
    storage::durability::OpenReport report;
    store = DurableStore::open(*options.durable, queues, streams, &clock, &report, &error);
    if (!store) throw std::runtime_error(error);
    recovery = report.summary();
    durability = {store.get(), options.durable_answer_async};
  }

  DispatcherOptions options;
  storage::SystemClock system_clock;
  // Pinned to each logged change's time while the log is replayed.
  storage::durability::ReplayClock clock;
  storage::QueueRegistry queues;
  sqs::SqsService sqs;
  storage::StreamRegistry streams;
  kinesis::KinesisService kinesis;
  // Declared last: destroyed first, before the registries it observes.
  std::unique_ptr<DurableStore> store;
  Durability durability;
  std::string recovery;
};

Dispatcher::Dispatcher(DispatcherOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Dispatcher::~Dispatcher() = default;

Outcome Dispatcher::handle(ApiRequest request) {
  auto ctx = make_request_context(request, impl_->options.advertised_host);
  std::string_view target = request.header("x-amz-target");
  std::string_view content_type = request.header("content-type");

  if (target.starts_with(kSqsTarget)) {
    const Codec& codec = json_codec(kSqsJson);
    if (!content_type.empty() && content_type.find("json") == std::string_view::npos) {
      return answer(codec.error({"UnknownOperationException", "", 400, true,
                                 "AWS JSON requests need Content-Type: application/x-amz-json-1.0."},
                                ctx.request_id));
    }
    return run(impl_->sqs, target.substr(kSqsTarget.size()), codec, request, ctx, impl_->durability);
  }

  // The SQS query protocol: no target, form parameters, XML answers.
  if (target.empty() && is_query_request(request)) {
    const Codec& codec = sqs_query_codec();
    auto action = query_action(request);
    if (auto* error = std::get_if<AwsError>(&action)) return answer(codec.error(*error, ctx.request_id));
    return run(impl_->sqs, std::get<std::string>(action), codec, request, ctx, impl_->durability);
  }

  if (target.starts_with(kKinesisTarget)) {
    auto action = target.substr(kKinesisTarget.size());
    auto media = content_type.substr(0, content_type.find(';'));
    if (media == kCborContentType) return run(impl_->kinesis, action, cbor_codec(), request, ctx, impl_->durability);
    const Codec& codec = json_codec(kKinesisJson);
    if (media == kKinesisJson.content_type) return run(impl_->kinesis, action, codec, request, ctx, impl_->durability);
    // AWS answers an unsupported content type as an unknown operation, 404.
    return answer(codec.error({"UnknownOperationException", "", 404, true, ""}, ctx.request_id));
  }

  AwsError unknown{"UnknownOperationException", "", 400, true,
                   target.empty() ? "Missing X-Amz-Target header: this endpoint serves SQS (AmazonSQS.<Action>, "
                                    "AWS JSON 1.0) and Kinesis (Kinesis_20131202.<Action>, AWS JSON 1.1 or CBOR 1.1)."
                                  : "Unknown operation " + std::string(target) + "."};
  return answer(json_codec(kPlainJson).error(unknown, ctx.request_id));
}

std::string Dispatcher::recovery_summary() const { return impl_->recovery; }

storage::durability::DurableStore* Dispatcher::durable_store() { return impl_->store.get(); }

ApiResponse Dispatcher::transport_error(int http_status, const std::string& code, const std::string& message) {
  return json_codec(kPlainJson).error({code, "", http_status, http_status < 500, message}, storage::random_uuid());
}

}  // namespace shoal::api
