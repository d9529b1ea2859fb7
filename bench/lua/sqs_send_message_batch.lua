-- wrk script: SQS SendMessageBatch, 10 entries of 256 bytes (AWS JSON 1.0).
-- QUEUE_URL comes from the environment.
local queue_url = os.getenv("QUEUE_URL")
sdk_headers("sqs", "SendMessageBatch")
local entries = {}
for i = 0, 9 do
  entries[#entries + 1] = '{"Id": "m' .. i .. '", "MessageBody": "' .. string.rep("x", 256) .. '"}'
end
wrk.body = '{"QueueUrl": "' .. queue_url .. '", "Entries": [' .. table.concat(entries, ", ") .. ']}'
