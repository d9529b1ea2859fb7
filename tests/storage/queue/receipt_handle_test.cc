// The receipt handle encoding round-trips and rejects anything it did not make.
#include "storage/queue/receipt_handle.h"

#include <doctest/doctest.h>

#include <string>

namespace shoal::storage {

TEST_CASE("a receipt handle round-trips its message and receive") {
  const ReceiptHandleFields f{0x0123456789abcdefULL, 42, 7};
  const std::string h = encode_receipt_handle(f, 99);
  CHECK(h.size() == kReceiptHandleLength);
  CHECK(h.find_first_of("+/= ") == std::string::npos);
  const auto d = decode_receipt_handle(h, f.queue_id, 99);
  REQUIRE(d.status.is_ok());
  CHECK(d.seq == 42);
  CHECK(d.nonce == 7);
}

TEST_CASE("a receipt handle is refused by another queue or with another secret") {
  const std::string h = encode_receipt_handle({1, 2, 3}, 4);
  CHECK(decode_receipt_handle(h, 5, 4).status.code() == Status::Code::kInvalidHandle);
  CHECK(decode_receipt_handle(h, 1, 5).status.code() == Status::Code::kInvalidHandle);
}

TEST_CASE("every single-character change of a handle is detected") {
  const std::string h = encode_receipt_handle({11, 22, 33}, 44);
  for (std::size_t i = 0; i < h.size(); ++i) {
    std::string bad = h;
    bad[i] = bad[i] == 'x' ? 'y' : 'x';
    CHECK(decode_receipt_handle(bad, 11, 44).status.code() == Status::Code::kInvalidHandle);
  }
  CHECK(decode_receipt_handle(h.substr(1), 11, 44).status.code() == Status::Code::kInvalidHandle);
  CHECK(decode_receipt_handle("", 11, 44).status.code() == Status::Code::kInvalidHandle);
}

}  // namespace shoal::storage
