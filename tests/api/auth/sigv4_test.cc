// The canonical request and signature against AWS's published SigV4 test
// suite (aws-sig-v4-test-suite, 2015-08-30 vectors: key AKIDEXAMPLE,
// service "service", us-east-1), plus the pieces a verifier leans on.
#include "api/auth/sigv4.h"

#include <doctest/doctest.h>

#include "api/common/digest.h"

using namespace shoal::api;
using namespace shoal::api::auth;

namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kDate = "20150830T123600Z";
constexpr std::string_view kScope = "20150830/us-east-1/service/aws4_request";
constexpr std::string_view kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct Vector {
  const char* name;
  const char* method;
  const char* path;
  const char* query;
  Headers extra;  // besides host and x-amz-date
  const char* signed_headers;
  const char* payload_hash;
  const char* signature;
};

std::string sign(const Vector& v, std::string* creq_out = nullptr) {
  Headers headers{{"host", "example.amazonaws.com"}};
  for (const auto& h : v.extra) headers.push_back(h);
  headers.emplace_back("x-amz-date", std::string(kDate));
  CanonicalParts parts{v.method, v.path, v.query, {}, &headers, split_signed_headers(v.signed_headers), v.payload_hash};
  auto creq = canonical_request(parts);
  if (creq_out != nullptr) *creq_out = creq;
  auto key = signing_key(kSecret, "20150830", "us-east-1", "service");
  return signature(key, string_to_sign(kDate, kScope, creq));
}

const std::string kToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8Y"
    "UuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6f"
    "E8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj"
    "2ICCR/oLxBA==";

const char* const kFormHash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
const char* const kUnreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

}  // namespace

TEST_CASE("the AWS SigV4 test suite's signatures") {
  const std::string unreserved_query = std::string(kUnreserved) + "=" + kUnreserved;
  const std::string unreserved_path = std::string("/") + kUnreserved;
  const Vector vectors[] = {
      {"get-vanilla",
       "GET",
       "/",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-vanilla-query-order-key",
       "GET",
       "/",
       "Param1=value2&Param1=Value1",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
      {"get-vanilla-query-order-key-case",
       "GET",
       "/",
       "Param2=value2&Param1=value1",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-query-order-value",
       "GET",
       "/",
       "Param1=value2&Param1=value1",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
      {"get-vanilla-query-unreserved",
       "GET",
       "/",
       unreserved_query.c_str(),
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
      {"get-vanilla-utf8-query",
       "GET",
       "/",
       "\xe1\x88\xb4=bar",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-unreserved",
       "GET",
       unreserved_path.c_str(),
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get-utf8",
       "GET",
       "/\xe1\x88\xb4",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get-header-key-duplicate",
       "GET",
       "/",
       "",
       {{"my-header1", "value2"}, {"my-header1", "value2"}, {"my-header1", "value1"}},
       "host;my-header1;x-amz-date",
       kEmptyHash.data(),
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      {"get-header-value-order",
       "GET",
       "/",
       "",
       {{"my-header1", "value4"}, {"my-header1", "value1"}, {"my-header1", "value3"}, {"my-header1", "value2"}},
       "host;my-header1;x-amz-date",
       kEmptyHash.data(),
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get-header-value-trim",
       "GET",
       "/",
       "",
       {{"my-header1", " value1"}, {"my-header2", " \"a   b   c\""}},
       "host;my-header1;my-header2;x-amz-date",
       kEmptyHash.data(),
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"post-vanilla",
       "POST",
       "/",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query",
       "POST",
       "/",
       "Param1=value1",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"post-x-www-form-urlencoded",
       "POST",
       "/",
       "",
       {{"content-type", "application/x-www-form-urlencoded"}},
       "content-type;host;x-amz-date",
       kFormHash,
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
      {"post-sts-header-before",
       "POST",
       "/",
       "",
       {{"x-amz-security-token", kToken}},
       "host;x-amz-date;x-amz-security-token",
       kEmptyHash.data(),
       "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
      {"get-relative",
       "GET",
       "/example/..",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-relative-relative",
       "GET",
       "/example1/example2/../..",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-slash",
       "GET",
       "//",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-slash-dot-slash",
       "GET",
       "/./",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-slash-pointless-dot",
       "GET",
       "/./example",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"},
      {"get-slashes",
       "GET",
       "//example//",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
      {"get-space",
       "GET",
       "/example space/",
       "",
       {},
       "host;x-amz-date",
       kEmptyHash.data(),
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
  };
  for (const auto& v : vectors) {
    CAPTURE(v.name);
    CHECK(sign(v) == v.signature);
  }
}

TEST_CASE("the canonical request of get-vanilla-utf8-query, line by line") {
  std::string creq;
  sign({"", "GET", "/", "\xe1\x88\xb4=bar", {}, "host;x-amz-date", kEmptyHash.data(), ""}, &creq);
  CHECK(creq ==
        "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("the path is encoded a second time, as SQS and Kinesis clients sign it") {
  CHECK(canonical_uri("/000000000000/my%20queue") == "/000000000000/my%2520queue");
  CHECK(canonical_uri("") == "/");
  CHECK(canonical_uri("/a:b") == "/a%3Ab");
}

TEST_CASE("the query is decoded and encoded again, the signature parameter left out") {
  CHECK(canonical_query("b=2&a=%7e&c=x%2fy") == "a=~&b=2&c=x%2Fy");
  CHECK(canonical_query("Action=ListQueues&X-Amz-Signature=abc&flag", "X-Amz-Signature") == "Action=ListQueues&flag=");
  CHECK(canonical_query("a=%zz&&b") == "a=%25zz&b=");
}

TEST_CASE("Authorization header parts") {
  auto h = parse_authorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, "
      "Signature=abc");
  CHECK(h.algorithm == "AWS4-HMAC-SHA256");
  CHECK(*h.credential == "AKID/20150830/us-east-1/sqs/aws4_request");
  CHECK(*h.signed_headers == "host;x-amz-date");
  CHECK(*h.signature == "abc");
  CHECK_FALSE(h.malformed);
  auto spaced = parse_authorization("AWS4-HMAC-SHA256 Credential=AKID /20150830/x/sqs/aws4_request");
  CHECK(*spaced.malformed == "/20150830/x/sqs/aws4_request");
  auto c = parse_credential("AKID/20150830/us-east-1/sqs/aws4_request");
  REQUIRE(c);
  CHECK(c->scope() == "20150830/us-east-1/sqs/aws4_request");
  CHECK_FALSE(parse_credential("AKID/20150830/us-east-1/sqs"));
  CHECK(split_signed_headers("X-Amz-Date;Host") == std::vector<std::string>{"host", "x-amz-date"});
}

TEST_CASE("dates: ISO 8601 basic and HTTP") {
  CHECK(parse_amz_date("20150830T123600Z") == 1440938160);
  CHECK(format_amz_date(1440938160) == "20150830T123600Z");
  CHECK(parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT") == 1440938160);
  CHECK_FALSE(parse_amz_date("2015-08-30T12:36:00Z"));
  CHECK_FALSE(parse_amz_date("20151330T123600Z"));
  CHECK_FALSE(parse_http_date("Sun, 30 Foo 2015 12:36:00 GMT"));
}

TEST_CASE("HMAC-SHA256: RFC 4231 test cases 1, 2 and 6 (a key longer than a block)") {
  CHECK(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
