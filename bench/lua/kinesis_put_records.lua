-- wrk script: Kinesis PutRecords, 500 records of 1 KiB, 500 partition keys so
-- every call spreads over the shards. STREAM comes from the environment.
local stream = os.getenv("STREAM")
local data = string.rep("QUJD", 344) -- 1032 decoded bytes
sdk_headers("kinesis", "PutRecords")
local records = {}
for i = 1, 500 do
  records[#records + 1] = '{"Data": "' .. data .. '", "PartitionKey": "k' .. i .. '"}'
end
wrk.body = '{"StreamName": "' .. stream .. '", "Records": [' .. table.concat(records, ", ") .. ']}'
