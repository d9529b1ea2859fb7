#include "api/dispatcher.h"

#include <stdexcept>
#include <string_view>

#include "api/auth/auth_errors.h"
#include "api/durable_pending.h"
#include "api/event_stream_response.h"
#include "storage/durability/iterator_key.h"
#include "storage/durability/replay_clock.h"
#include "api/protocol/codec.h"
#include "api/request_context.h"
#include "api/control/control_router.h"
#include "api/control/fault_errors.h"
#include "api/control/fault_rules.h"
#include "api/control/log.h"
#include "api/control/metrics.h"
#include "api/control/parked_polls.h"
#include "api/control/request_trace.h"
#include "api/kinesis/kinesis_service.h"
#include "api/protocol/cbor_protocol.h"
#include "api/protocol/codec.h"
#include "api/protocol/coral_rejections.h"
#include "api/protocol/query_codec.h"
#include "api/request_context.h"
#include "api/service.h"
#include "api/sqs/sqs_service.h"
#include "storage/queue/queue_registry.h"
#include "storage/random.h"

namespace shoal::api {

// The data log an answer waits for (none in memory), and whether a held
// answer parks (async) or blocks its thread until durable.
struct Durability {
  storage::durability::DurableStore* store = nullptr;
  bool async = true;
};

namespace {

constexpr std::string_view kSqsTarget = "AmazonSQS.";
constexpr std::string_view kKinesisTarget = "Kinesis_20131202.";

ApiResponse render(ActionResult& result, const Codec& codec, std::string_view action, const model::Shape* shape,
                   const std::string& request_id) {
  if (result.error) return codec.error(*result.error, request_id);
  return codec.action_result(action, std::move(result.output), shape, request_id);
}

// Adapts a protocol-neutral long poll to the server's PendingResponse by
// rendering its result in the caller's encoding. Its waker is also kept in
// ParkedPolls, so a clock change makes it re-check.
class RenderedPending final : public PendingResponse {
 public:
  RenderedPending(std::unique_ptr<PendingAction> action, const Codec& codec, std::string_view action_name,
                  const model::Shape* shape, std::string request_id, ParkedPolls& parked, RequestTrace trace)
      : action_(std::move(action)),
        codec_(codec),
        action_name_(action_name),
        shape_(shape),
        request_id_(std::move(request_id)),
        parked_(parked),
        trace_(std::move(trace)) {}
  ~RenderedPending() override {
    if (parked_id_ != 0) parked_.remove(parked_id_);
  }

  std::optional<ApiResponse> poll(bool final) override {
    auto result = action_->poll(final);
    if (!result) return std::nullopt;
    auto response = render(*result, codec_, action_name_, shape_, request_id_);
    trace_.finish(response.status);
    return response;
  }
  std::chrono::milliseconds time_to_next_check() const override { return action_->time_to_next_check(); }
  void set_waker(std::function<void()> wake) override {
    parked_id_ = parked_.set(parked_id_, wake);
    action_->set_waker(std::move(wake));
  }
  void cancel() override {
    if (parked_id_ != 0) parked_.remove(parked_id_);
    parked_id_ = 0;
    action_->cancel();
  }

 private:
  std::unique_ptr<PendingAction> action_;
  const Codec& codec_;
  std::string action_name_;
  const model::Shape* shape_;
  std::string request_id_;
  ParkedPolls& parked_;
  RequestTrace trace_;
  std::uint64_t parked_id_ = 0;  // calls are serialised by the server
};

Outcome answer(ApiResponse response) {
  Outcome out;
  out.response = std::move(response);
  return out;
}

using storage::durability::DurableStore;

// `unavailable` renders the 503 a change gets when the log cannot take it;
// null for a read, whose answer acknowledges nothing of its own.
Outcome after_log(Outcome outcome, storage::journal::Lsn lsn, const Durability& durability,
                  const DurablePending::Unavailable& unavailable) {
  if (durability.store == nullptr) return outcome;
  if (outcome.pending) {
    outcome.pending = std::make_unique<DurablePending>(std::move(outcome.pending), *durability.store, unavailable);
    return outcome;
  }
  if (lsn == 0) return outcome;
  if (!durability.async) {
    if (!durability.store->wait_durable(lsn) && unavailable) outcome.response = unavailable();
    return outcome;
  }
  auto held = std::make_unique<DurablePending>(std::move(*outcome.response), lsn, *durability.store, unavailable);
  outcome.response.reset();
  if (held->ready()) {
    outcome.response = held->poll(true);
  } else {
    outcome.pending = std::move(held);
  }
  return outcome;  // keeps any injected delay
}

// Actions that only read. AWS names them Get*, List* and Describe*;
// SubscribeToShard only reads too. They go on while the log cannot be written.
bool reads_only(std::string_view action) {
  return action.starts_with("Get") || action.starts_with("List") || action.starts_with("Describe") ||
         action == "SubscribeToShard";
}

// The only control endpoint that changes logged state.
bool changes_state(const ApiRequest& request) {
  return request.method == "POST" && request.path == std::string(control::kControlPrefix) + "/reset";
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
        clock(options.clock != nullptr ? *options.clock : controlled_clock),
        queues(clock),
        sqs(queues, clock),
        streams(clock, options.kinesis),
        kinesis(streams, clock),
        control{queues,
                streams,
                clock,
                options.clock != nullptr ? nullptr : &controlled_clock,
                faults,
                metrics,
                parked,
                rates,
                options.version,
                options.storage_mode,
                std::chrono::steady_clock::now(),
                {}} {
    queues.set_recreate_delay(options.sqs_recreate_delay);
    if (!options.durable) return;
    std::string error;
    storage::durability::OpenReport report;
    store = DurableStore::open(*options.durable, queues, streams, &clock, &report, &error);
    if (!store) throw std::runtime_error(error);
    recovery = report.summary();
    durability = {store.get(), options.durable_answer_async};
    control.log_failure = [s = store.get()] { return s->failure(); };
  }

  // The shared request path once service, action and codec are known.
  // `ctx` takes the account of the key that signed, in strict mode.
  Outcome run(Service& service, std::string_view action, const Codec& codec, const ApiRequest& request,
              RequestContext& ctx, RequestTrace trace);
  // An answer decided before the action could run (bad target, content type).
  Outcome early(ApiResponse response, RequestTrace trace) {
    trace.finish(response.status);
    return answer(std::move(response));
  }
  RequestTrace trace(std::string_view service, std::string_view action, std::chrono::steady_clock::time_point start) {
    return RequestTrace{&metrics, metrics.slot(service, action), {}, start};
  }

  DispatcherOptions options;
  storage::ControlledClock controlled_clock;
  // Pinned to each logged change's time while the log is replayed.
  storage::durability::ReplayClock clock;
  storage::QueueRegistry queues;
  sqs::SqsService sqs;
  storage::StreamRegistry streams;
  kinesis::KinesisService kinesis;
  auth::Authenticator authenticator{options.auth};
  FaultRules faults;
  Metrics metrics;
  ParkedPolls parked;
  control::RateTracker rates;
  control::ControlEngines control;
  // Declared last: destroyed first, before the registries it observes.
  std::unique_ptr<DurableStore> store;
  Durability durability;
  std::string recovery;
};

Outcome Dispatcher::Impl::run(Service& service, std::string_view action, const Codec& codec, const ApiRequest& request,
                              RequestContext& ctx, RequestTrace trace) {
  if (!codec.accepts_method(request.method)) {
    return early(
        codec.error({"MethodNotAllowed", "", 405, true, "AWS JSON and CBOR requests must use POST."}, ctx.request_id),
        std::move(trace));
  }
  if (authenticator.strict() && !request.internal) {
    const auto signed_as = &service == &kinesis ? auth::SignedService::kKinesis : auth::SignedService::kSqs;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
    auto verdict = authenticator.verify(request, signed_as, now);
    if (auto* failure = std::get_if<auth::AuthFailure>(&verdict)) {
      return early(codec.error(auth::auth_error(*failure, signed_as), ctx.request_id), std::move(trace));
    }
    const auto* key = std::get<const auth::AccessKey*>(verdict);
    if (!key->account.empty()) ctx.account = key->account;
  }
  const auto* operation = service.model().operation(action);
  auto parsed = codec.parse_request(request, action, operation != nullptr ? operation->input : nullptr, ctx);
  if (auto* error = std::get_if<AwsError>(&parsed)) return early(codec.error(*error, ctx.request_id), std::move(trace));
  auto& input = std::get<nlohmann::json>(parsed);
  // The queue or stream name costs a copy: only when a rule or a log line can use it.
  const auto service_name = metrics.names(trace.slot).first;
  if (faults.active() || log_enabled(LogLevel::kDebug)) trace.resource = resource_of(input);

  Outcome out;
  auto fault = faults.check(service_name, action, trace.resource);
  if (fault.any()) {
    metrics.count_fault();
    out.delay = fault.latency;
    if (fault.drop_connection) {
      out.drop_connection = true;
      trace.finish(0);
      return out;
    }
    if (fault.error_rule) {
      out.response =
          codec.error(fault_error(service_name, *fault.error_rule, trace.resource, ctx.account), ctx.request_id);
      trace.finish(out.response->status);
      return out;
    }
  }

  const bool reads = reads_only(action);
  // While the log cannot be written a change is refused before it is made:
  // what the engines hold must stay what the log will hold.
  if (durability.store != nullptr && !reads && !durability.store->writable()) {
    return early(codec.error(log_unavailable_error(), ctx.request_id), std::move(trace));
  }
  DurablePending::Unavailable unavailable;
  if (durability.store != nullptr && !reads) {
    unavailable = [&codec, id = ctx.request_id] { return codec.error(log_unavailable_error(), id); };
  }

  if (durability.store != nullptr) DurableStore::take_thread_lsn();
  auto result = service.call(action, input, codec.format(), ctx);
  if (trace.resource.empty()) trace.resource = std::move(result.resource);
  const auto lsn = durability.store != nullptr ? DurableStore::take_thread_lsn() : 0;
  const model::Shape* shape = operation != nullptr ? operation->output : nullptr;
  if (result.pending) {
    out.pending = std::make_unique<RenderedPending>(std::move(result.pending), codec, action, shape, ctx.request_id,
                                                    parked, std::move(trace));
    return after_log(std::move(out), lsn, durability, unavailable);
  }
  if (result.stream) {
    // An event stream changes nothing itself, so nothing waits for the log
    // here; the response holds back records until they are durable. The
    // request counts as answered (200) once its stream starts.
    const auto* member = shape != nullptr ? shape->find_member("EventStream") : nullptr;
    out.stream = std::make_unique<EventStreamResponse>(std::move(result.stream), codec,
                                                       member != nullptr ? member->shape : nullptr, ctx.request_id,
                                                       parked, durability.store);
    trace.finish(200);
    return out;
  }
  out.response = render(result, codec, action, shape, ctx.request_id);
  trace.finish(out.response->status);
  return after_log(std::move(out), lsn, durability, unavailable);
}

Dispatcher::Dispatcher(DispatcherOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Dispatcher::~Dispatcher() = default;

Outcome Dispatcher::handle(ApiRequest request) {
  const auto start = std::chrono::steady_clock::now();
  auto ctx = make_request_context(request, impl_->options.advertised_host);

  if (control::is_control_path(request.path)) {
    auto* store = impl_->durability.store;
    DurablePending::Unavailable unavailable;
    if (changes_state(request)) {
      unavailable = [id = ctx.request_id] {
        const auto e = log_unavailable_error();
        return control::control_error(e.http_status, e.code, e.message, id);
      };
      if (store != nullptr && !store->writable()) return answer(unavailable());
    }
    if (store != nullptr) DurableStore::take_thread_lsn();
    auto response = control::handle_control(request, ctx, impl_->control);
    const auto lsn = store != nullptr ? DurableStore::take_thread_lsn() : 0;
    if (log_enabled(LogLevel::kDebug)) {
      log_line(LogLevel::kDebug,
               "control " + request.method + " " + request.path + " " + std::to_string(response.status));
    }
    // A reset is answered once it is in the log, like any change: a crash
    // right after the answer must not bring the queues back.
    return after_log(answer(std::move(response)), lsn, impl_->durability, unavailable);
  }

  std::string_view target = request.header("x-amz-target");
  std::string_view content_type = request.header("content-type");

  if (target.starts_with(kSqsTarget)) {
    const Codec& codec = json_codec(kSqsJson);
    auto action = target.substr(kSqsTarget.size());
    auto trace = impl_->trace("sqs", action, start);
    if (!content_type.empty() && content_type.find("json") == std::string_view::npos) {
      return impl_->early(codec.error({"UnknownOperationException", "", 400, true,
                                       "AWS JSON requests need Content-Type: "
                                       "application/x-amz-json-1.0."},
                                      ctx.request_id),
                          std::move(trace));
    }
    return impl_->run(impl_->sqs, action, codec, request, ctx, std::move(trace));
  }

  // The SQS query protocol: no target, form parameters, XML answers.
  if (target.empty() && is_query_request(request)) {
    const Codec& codec = sqs_query_codec();
    auto action = query_action(request);
    if (auto* error = std::get_if<AwsError>(&action)) {
      return impl_->early(codec.error(*error, ctx.request_id), impl_->trace("sqs", "unknown", start));
    }
    const auto& name = std::get<std::string>(action);
    return impl_->run(impl_->sqs, name, codec, request, ctx, impl_->trace("sqs", name, start));
  }

  // Everything else answers as AWS's Kinesis front end does (see
  // coral_rejections.h): only POST is routed, then by content type.
  const auto media = content_type.substr(0, content_type.find(';'));
  const bool kinesis = target.starts_with(kKinesisTarget);
  const auto action = kinesis ? target.substr(kKinesisTarget.size()) : std::string_view("unknown");
  auto trace = impl_->trace(kinesis ? "kinesis" : "other", action, start);
  if (request.method != "POST") return impl_->early(unroutable_request(request, ctx.request_id), std::move(trace));
  if (media == "application/json")
    return impl_->early(legacy_json_envelope(request.body, ctx.request_id), std::move(trace));
  const bool cbor = media == kCborContentType;
  if (cbor || media == kKinesisJson.content_type) {
    const Codec& codec = cbor ? cbor_codec() : json_codec(kKinesisJson);
    if (kinesis) return impl_->run(impl_->kinesis, action, codec, request, ctx, std::move(trace));
    return impl_->early(codec.error({"UnknownOperationException", "", 400, true, ""}, ctx.request_id),
                        std::move(trace));
  }
  // Another content type: a target naming a service and an operation is an
  // unknown operation; without one nothing can be authorized.
  if (target.find('.') != std::string_view::npos) {
    return impl_->early(unknown_operation_xml(ctx.request_id), std::move(trace));
  }
  return impl_->early(unroutable_request(request, ctx.request_id), std::move(trace));
}

std::string Dispatcher::recovery_summary() const { return impl_->recovery; }

storage::durability::DurableStore* Dispatcher::durable_store() { return impl_->store.get(); }

ApiResponse Dispatcher::transport_error(int http_status, const std::string& code, const std::string& message,
                                        std::string_view request_content_type) {
  const auto media = request_content_type.substr(0, request_content_type.find(';'));
  const Codec& codec = media == kCborContentType            ? cbor_codec()
                       : media == kKinesisJson.content_type ? json_codec(kKinesisJson)
                                                            : json_codec(kPlainJson);
  return codec.error({code, "", http_status, http_status < 500, message}, storage::random_uuid());
}

}  // namespace shoal::api
