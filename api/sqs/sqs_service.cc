#include "api/sqs/sqs_service.h"

#include <map>

#include "api/model/service_model.h"
#include "api/model/validator.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

using Handler = ActionResult (*)(const SqsCall&);

const std::map<std::string_view, Handler, std::less<>>& handlers() {
  static const std::map<std::string_view, Handler, std::less<>> kHandlers = {
      {"AddPermission", add_permission},
      {"CancelMessageMoveTask", cancel_message_move_task},
      {"ChangeMessageVisibility", change_message_visibility},
      {"ChangeMessageVisibilityBatch", change_message_visibility_batch},
      {"CreateQueue", create_queue},
      {"DeleteMessage", delete_message},
      {"DeleteMessageBatch", delete_message_batch},
      {"DeleteQueue", delete_queue},
      {"GetQueueAttributes", get_queue_attributes},
      {"GetQueueUrl", get_queue_url},
      {"ListDeadLetterSourceQueues", list_dead_letter_source_queues},
      {"ListMessageMoveTasks", list_message_move_tasks},
      {"ListQueueTags", list_queue_tags},
      {"ListQueues", list_queues},
      {"PurgeQueue", purge_queue},
      {"ReceiveMessage", receive_message},
      {"RemovePermission", remove_permission},
      {"SendMessage", send_message},
      {"SendMessageBatch", send_message_batch},
      {"SetQueueAttributes", set_queue_attributes},
      {"StartMessageMoveTask", start_message_move_task},
      {"TagQueue", tag_queue},
      {"UntagQueue", untag_queue},
  };
  return kHandlers;
}

// ReceiveMessage's deprecated AttributeNames carries message system attribute
// names although the model types it as queue attribute names; fold it into
// MessageSystemAttributeNames so one enum check covers both.
void fold_attribute_names(std::string_view action, nlohmann::json& input) {
  if (action != "ReceiveMessage") return;
  auto it = input.find("AttributeNames");
  if (it == input.end() || !it->is_array()) return;
  auto& target = input["MessageSystemAttributeNames"];
  if (!target.is_array()) target = nlohmann::json::array();
  for (auto& name : *it) target.push_back(std::move(name));
  input.erase("AttributeNames");
}

}  // namespace

const model::ServiceModel& SqsService::model() const { return model::ServiceModel::sqs(); }

ActionResult SqsService::call(std::string_view action, nlohmann::json& input, WireFormat format,
                              const RequestContext& ctx) {
  auto handler = handlers().find(action);
  const auto* operation = model().operation(action);
  if (handler == handlers().end() || operation == nullptr) return ActionResult::fail(unknown_operation(action));
  fold_attribute_names(action, input);
  if (auto invalid = model::validate(*operation, input, model::Dialect::kSqs)) return ActionResult::fail(*invalid);
  normalize_input(operation->input, input, format);
  // Move tasks progress lazily: every request sees them caught up to now.
  queues_.move_tasks().catch_up();
  return handler->second(SqsCall{ctx, input, queues_, clock_, action});
}

}  // namespace shoal::api::sqs
