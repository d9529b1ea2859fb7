-- wrk script: SQS SendMessage, 256-byte body, as boto3 sends it (AWS JSON 1.0).
-- QUEUE_URL comes from the environment.
local queue_url = os.getenv("QUEUE_URL")
sdk_headers("sqs", "SendMessage")
wrk.body = '{"QueueUrl": "' .. queue_url .. '", "MessageBody": "' .. string.rep("x", 256) .. '"}'
