-- Prepended to every wrk script: the headers boto3 1.43 sends with an AWS JSON
-- call (signatures are not checked by the servers measured, so a fixed one).
-- service: "sqs" or "kinesis"; action: e.g. "SendMessage".
function sdk_headers(service, action)
  local amz_date = os.date("!%Y%m%dT%H%M%SZ")
  wrk.method = "POST"
  if service == "sqs" then
    wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
    wrk.headers["X-Amz-Target"] = "AmazonSQS." .. action
    wrk.headers["x-amzn-query-mode"] = "true"
  else
    wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
    wrk.headers["X-Amz-Target"] = "Kinesis_20131202." .. action
  end
  wrk.headers["User-Agent"] = "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux md/arch#x86_64 " ..
    "lang/python#3.11.7 md/pyimpl#CPython m/ shoal-bench"
  wrk.headers["X-Amz-Date"] = amz_date
  wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/" .. string.sub(amz_date, 1, 8) ..
    "/us-east-1/" .. service .. "/aws4_request, " ..
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)
  wrk.headers["amz-sdk-invocation-id"] = "00000000-0000-4000-8000-000000000000"
  wrk.headers["amz-sdk-request"] = "attempt=1"
end
