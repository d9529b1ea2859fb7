-- wrk script: SQS SendMessage, 256-byte body, as boto3 sends it (AWS JSON 1.0,
-- SigV4-shaped Authorization). QUEUE_URL comes from the environment.
local queue_url = os.getenv("QUEUE_URL")
local body = '{"QueueUrl":"' .. queue_url .. '","MessageBody":"' .. string.rep("x", 256) .. '"}'
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AmazonSQS.SendMessage"
wrk.headers["X-Amz-Date"] = "20260101T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, " ..
  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)
