#include "api/dispatcher.h"

#include <string_view>

#include "api/protocol/json_protocol.h"
#include "api/request_context.h"
#include "api/sqs/sqs_service.h"
#include "storage/queue/queue_registry.h"
#include "storage/random.h"

namespace shoal::api {
namespace {

constexpr JsonDialect kSqsJson{"application/x-amz-json-1.0", "com.amazonaws.sqs#", true};
constexpr JsonDialect kPlainJson{"application/json", "", false};

ApiResponse render(ActionResult& result, const JsonDialect& dialect, const std::string& request_id) {
  if (result.error) return render_json_error(*result.error, dialect, request_id);
  return render_json_result(std::move(result.output), dialect, request_id);
}

// Adapts a protocol-neutral long poll to the server's PendingResponse by
// rendering its result in the caller's protocol.
class RenderedPending final : public PendingResponse {
 public:
  RenderedPending(std::unique_ptr<PendingAction> action, const JsonDialect& dialect, std::string request_id)
      : action_(std::move(action)), dialect_(dialect), request_id_(std::move(request_id)) {}

  std::optional<ApiResponse> poll(bool final) override {
    auto result = action_->poll(final);
    if (!result) return std::nullopt;
    return render(*result, dialect_, request_id_);
  }
  std::chrono::milliseconds time_to_next_check() const override { return action_->time_to_next_check(); }
  void set_waker(std::function<void()> wake) override { action_->set_waker(std::move(wake)); }
  void cancel() override { action_->cancel(); }

 private:
  std::unique_ptr<PendingAction> action_;
  const JsonDialect& dialect_;
  std::string request_id_;
};

}  // namespace

struct Dispatcher::Impl {
  explicit Impl(DispatcherOptions o)
      : options(std::move(o)),
        clock(options.clock != nullptr ? *options.clock : system_clock),
        queues(clock),
        sqs(queues, clock) {}

  DispatcherOptions options;
  storage::SystemClock system_clock;
  const storage::Clock& clock;
  storage::QueueRegistry queues;
  sqs::SqsService sqs;
};

Dispatcher::Dispatcher(DispatcherOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Dispatcher::~Dispatcher() = default;

Outcome Dispatcher::handle(ApiRequest request) {
  auto ctx = make_request_context(request, impl_->options.advertised_host);
  std::string_view target = request.header("x-amz-target");
  constexpr std::string_view kSqsPrefix = "AmazonSQS.";

  if (target.starts_with(kSqsPrefix)) {
    if (request.method != "POST") {
      return {render_json_error({"MethodNotAllowed", "", 405, true, "AWS JSON requests must use POST."}, kSqsJson,
                                ctx.request_id),
              nullptr};
    }
    std::string_view content_type = request.header("content-type");
    if (!content_type.empty() && content_type.find("json") == std::string_view::npos) {
      return {render_json_error({"UnknownOperationException", "", 400, true,
                                 "AWS JSON requests need Content-Type: application/x-amz-json-1.0."},
                                kSqsJson, ctx.request_id),
              nullptr};
    }
    auto parsed = parse_json_body(request.body);
    if (auto* error = std::get_if<AwsError>(&parsed)) {
      return {render_json_error(*error, kSqsJson, ctx.request_id), nullptr};
    }
    auto& input = std::get<nlohmann::json>(parsed);
    auto result = impl_->sqs.call(target.substr(kSqsPrefix.size()), input, ctx);
    if (result.pending) {
      return {std::nullopt, std::make_unique<RenderedPending>(std::move(result.pending), kSqsJson, ctx.request_id)};
    }
    return {render(result, kSqsJson, ctx.request_id), nullptr};
  }

  AwsError unknown{"UnknownOperationException", "", 400, true,
                   target.empty() ? "Missing X-Amz-Target header: this endpoint serves SQS over AWS JSON 1.0 "
                                    "(X-Amz-Target: AmazonSQS.<Action>)."
                                  : "Unknown operation " + std::string(target) + "."};
  return {render_json_error(unknown, target.empty() ? kPlainJson : kSqsJson, ctx.request_id), nullptr};
}

ApiResponse Dispatcher::transport_error(int http_status, const std::string& code, const std::string& message) {
  return render_json_error({code, "", http_status, http_status < 500, message}, kPlainJson, storage::random_uuid());
}

}  // namespace shoal::api
