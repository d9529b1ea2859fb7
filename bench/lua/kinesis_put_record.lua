-- wrk script: Kinesis PutRecord, 1 KiB of data (base64 in JSON 1.1), random
-- partition keys so records spread over shards. STREAM comes from the environment.
local stream = os.getenv("STREAM")

data = string.rep("QUJD", 344) -- 1032 decoded bytes
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "Kinesis_20131202.PutRecord"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request, " ..
  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"StreamName":"' .. stream .. '","PartitionKey":"k' .. counter .. '","Data":"' .. data .. '"}'
  return wrk.format(nil, nil, nil, body)
end
