-- wrk script: Kinesis PutRecord, 1 KiB of data (base64 in JSON 1.1), a new
-- partition key per request so records spread over shards. STREAM comes from
-- the environment.
local stream = os.getenv("STREAM")
local data = string.rep("QUJD", 344) -- 1032 decoded bytes
sdk_headers("kinesis", "PutRecord")
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"StreamName": "' .. stream .. '", "PartitionKey": "k' .. counter .. '", "Data": "' .. data .. '"}'
  return wrk.format(nil, nil, nil, body)
end
