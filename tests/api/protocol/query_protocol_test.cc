#include "api/protocol/query_protocol.h"

#include <doctest/doctest.h>

#include "api/protocol/query_codec.h"
#include "api/protocol/query_form.h"

using namespace shoal::api;
using nlohmann::json;

namespace {

const model::Shape* input_of(const char* action) { return sqs_query_model().operation(action)->input; }
const model::Shape* output_of(const char* action) { return sqs_query_model().operation(action)->output; }

json decode(const char* action, const char* form) {
  auto params = parse_form(form);
  REQUIRE(params);
  auto decoded = decode_query_params(input_of(action), *params);
  REQUIRE(std::holds_alternative<json>(decoded));
  return std::get<json>(decoded);
}

AwsError decode_error(const char* action, const char* form) {
  auto params = parse_form(form);
  REQUIRE(params);
  auto decoded = decode_query_params(input_of(action), *params);
  REQUIRE(std::holds_alternative<AwsError>(decoded));
  return std::get<AwsError>(decoded);
}

std::string render(const char* action, const json& output) {
  return render_query_result_xml(action, output_of(action), output, kSqsXmlNamespace, "rid");
}

json binary(std::string s) { return json::binary(std::vector<std::uint8_t>(s.begin(), s.end())); }

}  // namespace

TEST_CASE("percent-decoding: %XX, + as space, bad escapes rejected") {
  CHECK(percent_decode("a%20b+c%2Bd%26e%3D") == "a b c+d&e=");
  CHECK(percent_decode("%e2%82%AC") == "\xe2\x82\xac");
  CHECK_FALSE(percent_decode("100%"));
  CHECK_FALSE(percent_decode("%4"));
  CHECK_FALSE(percent_decode("%zz"));
}

TEST_CASE("form parsing keeps order, skips empty pairs, allows names without '='") {
  auto params = parse_form("Action=SendMessage&&MessageBody=a%3Db&Flag&Empty=");
  REQUIRE(params);
  REQUIRE(params->size() == 4);
  CHECK((*params)[0].name == "Action");
  CHECK((*params)[1].value == "a=b");
  CHECK((*params)[2].name == "Flag");
  CHECK((*params)[2].value.empty());
  CHECK(*find_param(*params, "Empty") == "");
  CHECK(find_param(*params, "Missing") == nullptr);
  CHECK_FALSE(parse_form("Action=SendMessage&MessageBody=%G0"));
}

TEST_CASE("scalars: strings, integers and booleans typed as JSON would carry them") {
  auto v = decode("ReceiveMessage",
                  "QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq&MaxNumberOfMessages=10&WaitTimeSeconds=%2B3"
                  "&VisibilityTimeout=-1&Action=ReceiveMessage&Version=2012-11-05");
  CHECK(v == json{{"QueueUrl", "http://h/000000000000/q"},
                  {"MaxNumberOfMessages", 10},
                  {"WaitTimeSeconds", 3},
                  {"VisibilityTimeout", -1}});
}

TEST_CASE("a non-numeric integer is AWS's InvalidParameterValue") {
  auto e = decode_error("ReceiveMessage", "QueueUrl=u&MaxNumberOfMessages=ten");
  CHECK(e.legacy_code() == "InvalidParameterValue");
  CHECK(e.http_status == 400);
  CHECK(e.sender_fault);
  CHECK(e.message == "Value ten for parameter MaxNumberOfMessages is invalid. Reason: Must be an integer.");
  auto nested =
      decode_error("SendMessageBatch",
                   "QueueUrl=u&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.DelaySeconds=1.5");
  CHECK(nested.message ==
        "Value 1.5 for parameter SendMessageBatchRequestEntry.1.DelaySeconds is invalid. Reason: Must be an integer.");
  CHECK(decode_error("ReceiveMessage", "QueueUrl=u&WaitTimeSeconds=").legacy_code() == "InvalidParameterValue");
}

TEST_CASE("an Integer member takes 32 bits: a bigger value is not an integer of its type") {
  auto e = decode_error("ReceiveMessage", "QueueUrl=u&MaxNumberOfMessages=4294967297");
  CHECK(e.legacy_code() == "InvalidParameterValue");
  CHECK(e.message == "Value 4294967297 for parameter MaxNumberOfMessages is invalid. Reason: Must be an integer.");
  CHECK(decode_error("ReceiveMessage", "QueueUrl=u&VisibilityTimeout=-2147483649").legacy_code() ==
        "InvalidParameterValue");
  CHECK(decode("ReceiveMessage", "QueueUrl=u&VisibilityTimeout=-2147483648")["VisibilityTimeout"] == -2147483648LL);
  CHECK(decode("ReceiveMessage", "QueueUrl=u&WaitTimeSeconds=2147483647")["WaitTimeSeconds"] == 2147483647);
}

TEST_CASE("a form of more parameters than any request needs is refused, not built") {
  std::string form = "Action=SendMessageBatch&QueueUrl=u";
  for (std::size_t i = 1; i <= kMaxFormParams; ++i) form += "&SendMessageBatchRequestEntry." + std::to_string(i) + ".Id=a";
  CHECK_FALSE(parse_form(form));
  CHECK(has_too_many_form_params(form));
  CHECK_FALSE(has_too_many_form_params("a=1&&&&&&b=2"));

  ApiRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  request.body = form;
  auto action = query_action(request);
  REQUIRE(std::holds_alternative<AwsError>(action));
  CHECK(std::get<AwsError>(action).code == "MalformedQueryString");
  CHECK(std::get<AwsError>(action).message == "The request has more than 100000 parameters.");
  // A huge index is one entry, not that many.
  auto v = decode("SendMessageBatch", "QueueUrl=u&SendMessageBatchRequestEntry.4000000000.Id=a");
  CHECK(v["Entries"].size() == 1);
}

TEST_CASE("a string that is not UTF-8 is rejected") {
  auto e = decode_error("SendMessage", "QueueUrl=u&MessageBody=%FF%FE");
  CHECK(e.legacy_code() == "InvalidParameterValue");
}

TEST_CASE("flattened string maps: Attribute.N.Name / Attribute.N.Value and Tag.N.Key / Tag.N.Value") {
  auto v = decode("CreateQueue",
                  "QueueName=q&Attribute.1.Name=DelaySeconds&Attribute.1.Value=5"
                  "&Attribute.2.Name=Policy&Attribute.2.Value=%7B%22a%22%3A1%7D"
                  "&Tag.1.Key=team&Tag.1.Value=core&Tag.2.Key=empty&Tag.2.Value=");
  CHECK(v == json{{"QueueName", "q"},
                  {"Attributes", {{"DelaySeconds", "5"}, {"Policy", "{\"a\":1}"}}},
                  {"tags", {{"team", "core"}, {"empty", ""}}}});
  auto set = decode("SetQueueAttributes", "QueueUrl=u&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60");
  CHECK(set["Attributes"] == json{{"VisibilityTimeout", "60"}});
  auto tag = decode("TagQueue", "QueueUrl=u&Tag.1.Key=k&Tag.1.Value=v");
  CHECK(tag["Tags"] == json{{"k", "v"}});
}

TEST_CASE("message attributes: Name + Value.StringValue|BinaryValue|DataType; system attributes") {
  auto v = decode(
      "SendMessage",
      "QueueUrl=u&MessageBody=hi&DelaySeconds=0"
      "&MessageAttribute.1.Name=s&MessageAttribute.1.Value.StringValue=x+y&MessageAttribute.1.Value.DataType=String"
      "&MessageAttribute.2.Name=n&MessageAttribute.2.Value.StringValue=1.5&MessageAttribute.2.Value.DataType=Number"
      "&MessageAttribute.3.Name=b&MessageAttribute.3.Value.BinaryValue=AAE%3D&MessageAttribute.3.Value.DataType=Binary"
      "&MessageSystemAttribute.1.Name=AWSTraceHeader"
      "&MessageSystemAttribute.1.Value.StringValue=Root%3D1&MessageSystemAttribute.1.Value.DataType=String");
  CHECK(v["MessageBody"] == "hi");
  CHECK(v["DelaySeconds"] == 0);
  CHECK(v["MessageAttributes"] == json{{"s", {{"StringValue", "x y"}, {"DataType", "String"}}},
                                       {"n", {{"StringValue", "1.5"}, {"DataType", "Number"}}},
                                       {"b", {{"BinaryValue", "AAE="}, {"DataType", "Binary"}}}});
  CHECK(v["MessageSystemAttributes"] == json{{"AWSTraceHeader", {{"StringValue", "Root=1"}, {"DataType", "String"}}}});
}

TEST_CASE("a map entry without a value still reaches the handler") {
  auto v = decode("SendMessage", "QueueUrl=u&MessageBody=b&MessageAttribute.1.Name=a");
  CHECK(v["MessageAttributes"] == json{{"a", json::object()}});
  auto attrs = decode("SetQueueAttributes", "QueueUrl=u&Attribute.1.Name=DelaySeconds");
  CHECK(attrs["Attributes"] == json{{"DelaySeconds", ""}});
}

TEST_CASE(
    "batch entries: SendMessageBatchRequestEntry.N.*, DeleteMessageBatchRequestEntry.N.*, "
    "ChangeMessageVisibilityBatchRequestEntry.N.*") {
  auto send = decode("SendMessageBatch",
                     "QueueUrl=u&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two"
                     "&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one"
                     "&SendMessageBatchRequestEntry.1.DelaySeconds=3"
                     "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k"
                     "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v"
                     "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String");
  CHECK(send["Entries"] ==
        json::array({{{"Id", "a"},
                      {"MessageBody", "one"},
                      {"DelaySeconds", 3},
                      {"MessageAttributes", {{"k", {{"StringValue", "v"}, {"DataType", "String"}}}}}},
                     {{"Id", "b"}, {"MessageBody", "two"}}}));
  auto del =
      decode("DeleteMessageBatch",
             "QueueUrl=u&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r%2B1");
  CHECK(del["Entries"] == json::array({{{"Id", "a"}, {"ReceiptHandle", "r+1"}}}));
  auto vis = decode("ChangeMessageVisibilityBatch",
                    "QueueUrl=u&ChangeMessageVisibilityBatchRequestEntry.1.Id=a"
                    "&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=r"
                    "&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=30");
  CHECK(vis["Entries"] == json::array({{{"Id", "a"}, {"ReceiptHandle", "r"}, {"VisibilityTimeout", 30}}}));
}

TEST_CASE("indexes are numeric, in order, from 1; gaps close up") {
  auto v = decode("ReceiveMessage", "QueueUrl=u&AttributeName.10=SentTimestamp&AttributeName.2=All");
  CHECK(v["AttributeNames"] == json::array({"All", "SentTimestamp"}));
  auto set = decode("SetQueueAttributes",
                    "QueueUrl=u&Attribute.1.Name=DelaySeconds&Attribute.1.Value=1"
                    "&Attribute.3.Name=VisibilityTimeout&Attribute.3.Value=3");
  CHECK(set["Attributes"] == json{{"DelaySeconds", "1"}, {"VisibilityTimeout", "3"}});
  auto batch =
      decode("DeleteMessageBatch",
             "QueueUrl=u&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2"
             "&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1");
  CHECK(batch["Entries"] ==
        json::array({{{"Id", "a"}, {"ReceiptHandle", "r1"}}, {{"Id", "b"}, {"ReceiptHandle", "r2"}}}));
}

TEST_CASE("an index that is not a positive number is AWS's MalformedInput") {
  auto zero = decode_error("ReceiveMessage", "QueueUrl=u&AttributeName.0=All");
  CHECK(zero.code == "MalformedInput");
  CHECK(zero.http_status == 400);
  CHECK(zero.sender_fault);
  CHECK(zero.message == "0 is not a valid index");
  CHECK(decode_error("SetQueueAttributes", "QueueUrl=u&Attribute.x.Name=DelaySeconds&Attribute.x.Value=1").message ==
        "x is not a valid index");
  CHECK(decode_error("SendMessage", "QueueUrl=u&MessageBody=b&MessageAttribute.-1.Name=a").code == "MalformedInput");
  CHECK(decode_error("SendMessageBatch", "QueueUrl=u&SendMessageBatchRequestEntry.Id=a").message ==
        "Id is not a valid index");
}

TEST_CASE(
    "flattened string lists: AttributeName.N, MessageAttributeName.N, MessageSystemAttributeName.N, "
    "TagKey.N, AWSAccountId.N, ActionName.N") {
  auto receive = decode("ReceiveMessage",
                        "QueueUrl=u&AttributeName.1=All&MessageAttributeName.1=a.*&MessageAttributeName.2=b"
                        "&MessageSystemAttributeName.1=SenderId");
  CHECK(receive["AttributeNames"] == json::array({"All"}));
  CHECK(receive["MessageAttributeNames"] == json::array({"a.*", "b"}));
  CHECK(receive["MessageSystemAttributeNames"] == json::array({"SenderId"}));
  auto get = decode("GetQueueAttributes", "QueueUrl=u&AttributeName.1=All");
  CHECK(get["AttributeNames"] == json::array({"All"}));
  auto untag = decode("UntagQueue", "QueueUrl=u&TagKey.1=a&TagKey.2=b");
  CHECK(untag["TagKeys"] == json::array({"a", "b"}));
  auto add = decode("AddPermission",
                    "QueueUrl=u&Label=l&AWSAccountId.1=111122223333&AWSAccountId.2=444455556666"
                    "&ActionName.1=SendMessage&ActionName.2=ReceiveMessage");
  CHECK(add["AWSAccountIds"] == json::array({"111122223333", "444455556666"}));
  CHECK(add["Actions"] == json::array({"SendMessage", "ReceiveMessage"}));
}

TEST_CASE("an empty list sent as the bare member name decodes to []") {
  auto v = decode("GetQueueAttributes", "QueueUrl=u&AttributeNames=");
  CHECK(v["AttributeNames"] == json::array());
}

TEST_CASE("parameters that name no member are ignored") {
  auto v = decode("ListQueues", "Action=ListQueues&Version=2012-11-05&QueueNamePrefix=p&Bogus.1=x&MaxResults=5");
  CHECK(v == json{{"QueueNamePrefix", "p"}, {"MaxResults", 5}});
}

TEST_CASE("XML escaping covers markup characters and keeps CR") {
  CHECK(xml_escape("a<b>&\"c'\r\n\t") == "a&lt;b&gt;&amp;&quot;c'&#xD;\n\t");
}

TEST_CASE("a result renders as <ActionResponse><ActionResult> with ResponseMetadata") {
  auto xml = render("SendMessage", {{"MessageId", "m-1"}, {"MD5OfMessageBody", "abc"}});
  CHECK(xml ==
        "<?xml version=\"1.0\"?><SendMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
        "<SendMessageResult><MD5OfMessageBody>abc</MD5OfMessageBody><MessageId>m-1</MessageId></SendMessageResult>"
        "<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></SendMessageResponse>");
}

TEST_CASE("an operation without output has no Result element; an empty result is an empty element") {
  auto none = render("DeleteQueue", json::object());
  CHECK(none ==
        "<?xml version=\"1.0\"?><DeleteQueueResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
        "<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></DeleteQueueResponse>");
  auto empty = render("ReceiveMessage", json::object());
  CHECK(empty.find("<ReceiveMessageResult/><ResponseMetadata>") != std::string::npos);
}

TEST_CASE("flattened lists repeat the element: QueueUrl in ListQueuesResult") {
  auto xml = render("ListQueues", {{"QueueUrls", {"http://h/1/a", "http://h/1/b"}}});
  CHECK(xml.find("<ListQueuesResult><QueueUrl>http://h/1/a</QueueUrl><QueueUrl>http://h/1/b</QueueUrl>"
                 "</ListQueuesResult>") != std::string::npos);
}

TEST_CASE("flattened maps: <Attribute><Name/><Value/></Attribute> and <Tag><Key/><Value/></Tag>") {
  auto attrs = render("GetQueueAttributes", {{"Attributes", {{"DelaySeconds", "0"}, {"Policy", "{\"a\":\"<b>\"}"}}}});
  CHECK(attrs.find("<GetQueueAttributesResult><Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute>"
                   "<Attribute><Name>Policy</Name><Value>{&quot;a&quot;:&quot;&lt;b&gt;&quot;}</Value></Attribute>"
                   "</GetQueueAttributesResult>") != std::string::npos);
  auto tags = render("ListQueueTags", {{"Tags", {{"k", "v"}, {"e", ""}}}});
  CHECK(tags.find("<ListQueueTagsResult><Tag><Key>e</Key><Value></Value></Tag><Tag><Key>k</Key><Value>v</Value>"
                  "</Tag></ListQueueTagsResult>") != std::string::npos);
}

TEST_CASE("messages: body escaped, attributes and message attributes flattened, binary as base64") {
  json message = {{"MessageId", "id"},
                  {"ReceiptHandle", "rh"},
                  {"MD5OfBody", "md5"},
                  {"Body", "<a>&\r\n"},
                  {"Attributes", {{"SentTimestamp", "1700000000000"}}},
                  {"MessageAttributes",
                   {{"b", {{"BinaryValue", binary(std::string("\x00\x01", 2))}, {"DataType", "Binary"}}},
                    {"s", {{"StringValue", "x"}, {"DataType", "String"}}}}}};
  auto xml = render("ReceiveMessage", {{"Messages", {message}}});
  CHECK(xml.find("<ReceiveMessageResult><Message>") != std::string::npos);
  CHECK(xml.find("<Body>&lt;a&gt;&amp;&#xD;\n</Body>") != std::string::npos);
  CHECK(xml.find("<Attribute><Name>SentTimestamp</Name><Value>1700000000000</Value></Attribute>") != std::string::npos);
  CHECK(xml.find("<MessageAttribute><Name>b</Name><Value><BinaryValue>AAE=</BinaryValue><DataType>Binary</DataType>"
                 "</Value></MessageAttribute>") != std::string::npos);
  CHECK(xml.find("<MessageAttribute><Name>s</Name><Value><DataType>String</DataType><StringValue>x</StringValue>"
                 "</Value></MessageAttribute>") != std::string::npos);
  CHECK(xml.find("</Message></ReceiveMessageResult>") != std::string::npos);
}

TEST_CASE("batch results: SendMessageBatchResultEntry and BatchResultErrorEntry with booleans") {
  auto xml =
      render("SendMessageBatch", {{"Successful", {{{"Id", "a"}, {"MessageId", "m"}, {"MD5OfMessageBody", "d"}}}},
                                  {"Failed", {{{"Id", "b"}, {"SenderFault", true}, {"Code", "C"}, {"Message", "M"}}}}});
  CHECK(xml.find("<BatchResultErrorEntry><Code>C</Code><Id>b</Id><Message>M</Message><SenderFault>true</SenderFault>"
                 "</BatchResultErrorEntry>") != std::string::npos);
  CHECK(xml.find("<SendMessageBatchResultEntry><Id>a</Id><MD5OfMessageBody>d</MD5OfMessageBody><MessageId>m"
                 "</MessageId></SendMessageBatchResultEntry>") != std::string::npos);
}

TEST_CASE("errors render as ErrorResponse with the legacy code, Type and RequestId") {
  AwsError e{"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400, true, "No <queue> & more"};
  CHECK(render_query_error_xml(e, kSqsXmlNamespace, "rid") ==
        "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error>"
        "<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
        "<Message>No &lt;queue&gt; &amp; more</Message><Detail/></Error><RequestId>rid</RequestId></ErrorResponse>");
  AwsError internal{"InternalFailure", "", 500, false, "x"};
  CHECK(render_query_error_xml(internal, kSqsXmlNamespace, "r")
            .find("<Type>Receiver</Type><Code>InternalFailure</Code>") != std::string::npos);
}

TEST_CASE("the codec: GET and POST, the queue from the path, XML content type, query wording of NonExistentQueue") {
  const Codec& codec = sqs_query_codec();
  CHECK(codec.accepts_method("GET"));
  CHECK(codec.accepts_method("POST"));
  CHECK_FALSE(codec.accepts_method("PUT"));

  ApiRequest request;
  request.method = "POST";
  request.path = "/000000000000/jobs";
  request.query = "Action=SendMessage";
  request.headers = {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = "MessageBody=hello";
  RequestContext ctx;
  ctx.host = "localhost:4566";
  auto parsed = codec.parse_request(request, "SendMessage", nullptr, ctx);
  REQUIRE(std::holds_alternative<json>(parsed));
  CHECK(std::get<json>(parsed) ==
        json{{"QueueUrl", "http://localhost:4566/000000000000/jobs"}, {"MessageBody", "hello"}});

  request.body = "MessageBody=hello&QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fother";
  CHECK(std::get<json>(codec.parse_request(request, "SendMessage", nullptr, ctx))["QueueUrl"] == "http://x/000000000000/other");

  auto error = codec.error({"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400, true,
                            "The specified queue does not exist."},
                           "rid");
  CHECK(error.content_type == "text/xml");
  CHECK(error.status == 400);
  CHECK(error.body.find("<Message>The specified queue does not exist for this wsdl version.</Message>") !=
        std::string::npos);
}

TEST_CASE("routing helpers: form bodies or Action in the query string; Action checks") {
  ApiRequest get;
  get.method = "GET";
  get.query = "Action=ListQueues&Version=2012-11-05";
  CHECK(is_query_request(get));
  CHECK(std::get<std::string>(query_action(get)) == "ListQueues");

  get.query = "Action=ListQueues&QueueNamePrefix=%G1";
  CHECK(is_query_request(get));
  CHECK(std::get<AwsError>(query_action(get)).code == "MalformedQueryString");
  get.query = "QueueNamePrefix=%G1";
  CHECK_FALSE(is_query_request(get));

  ApiRequest json_request;
  json_request.headers = {{"content-type", "application/x-amz-json-1.0"}};
  CHECK_FALSE(is_query_request(json_request));

  ApiRequest post;
  post.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  post.body = "Version=2012-11-05";
  CHECK(is_query_request(post));
  CHECK(std::get<AwsError>(query_action(post)).code == "MissingAction");
  post.body = "Action=Frobnicate";
  auto invalid = std::get<AwsError>(query_action(post));
  CHECK(invalid.code == "InvalidAction");
  CHECK(invalid.message == "The action Frobnicate is not valid for this web service.");
  post.body = "Action=ListQueues&Version=2099-01-01";
  CHECK(std::get<AwsError>(query_action(post)).code == "NoSuchVersion");
  post.body = "Action=SendMessageBatch";
  CHECK(std::get<AwsError>(query_action(post)).message ==
        "The action SendMessageBatch is not valid for this endpoint.");
  post.body = "Action=SendMessage";
  CHECK(std::get<std::string>(query_action(post)) == "SendMessage");
  post.body = "Action=ListQueues&QueueNamePrefix=%ZZ";
  CHECK(std::get<AwsError>(query_action(post)).code == "MalformedQueryString");
}
