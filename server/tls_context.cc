#include "server/tls_context.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace shoal::server {

namespace ssl = boost::asio::ssl;

namespace {

// A year: long enough for any test run or dev box, short enough that a
// leaked key expires.
constexpr long kValiditySeconds = 365L * 24 * 3600;

std::string openssl_error(const std::string& what) {
  std::string out = what;
  if (const unsigned long code = ERR_get_error(); code != 0) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    out += ": ";
    out += text.data();
  }
  ERR_clear_error();
  return out;
}

// The server's preference among the client's offers: h2 first. No common
// protocol: no ALPN answer, and the connection speaks HTTP/1.1.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                unsigned int in_length, void*) {
  for (const std::string_view want : {std::string_view("h2"), std::string_view("http/1.1")}) {
    for (unsigned int i = 0; i < in_length;) {
      const unsigned int length = in[i];
      if (i + 1 + length > in_length) break;
      if (length == want.size() && std::memcmp(in + i + 1, want.data(), length) == 0) {
        *out = in + i + 1;
        *out_length = static_cast<unsigned char>(length);
        return SSL_TLSEXT_ERR_OK;
      }
      i += 1 + length;
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
  void operator()(X509* cert) const { X509_free(cert); }
};

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// Writes cert.pem and key.pem (mode 0600) of a fresh self-signed P-256
// certificate into dir; returns an error message or "".
std::string generate_self_signed(const std::string& dir) {
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, CertDeleter> cert(X509_new());
  if (!key || !cert) return openssl_error("cannot generate a key");
  X509_set_version(cert.get(), 2);  // v3: extensions
  BIGNUM* serial = BN_new();
  const bool serial_ok = serial != nullptr && BN_rand(serial, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
                         BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(serial);
  if (!serial_ok) return openssl_error("cannot make a serial number");
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // tolerate a clock a little behind
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Shoal"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  // Its own trust anchor (as `openssl req -x509` makes them), valid for the
  // names a local client dials.
  if (!add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") ||
      !add_extension(cert.get(), NID_ext_key_usage, "serverAuth") ||
      !add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
      !add_extension(cert.get(), NID_subject_key_identifier, "hash")) {
    return openssl_error("cannot add the certificate's extensions");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return openssl_error("cannot sign the certificate");

  const std::string key_path = dir + "/key.pem";
  const std::string cert_path = dir + "/cert.pem";
  std::FILE* key_file = std::fopen(key_path.c_str(), "wx");
  if (key_file == nullptr) return "cannot write " + key_path + ": " + std::strerror(errno);
  ::chmod(key_path.c_str(), 0600);
  const bool key_ok = PEM_write_PrivateKey(key_file, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(key_file);
  std::FILE* cert_file = std::fopen(cert_path.c_str(), "wx");
  if (cert_file == nullptr) return "cannot write " + cert_path + ": " + std::strerror(errno);
  const bool cert_ok = PEM_write_X509(cert_file, cert.get()) == 1;
  std::fclose(cert_file);
  if (!key_ok || !cert_ok) return openssl_error("cannot write the certificate");
  return {};
}

}  // namespace

TlsSetup make_tls_context(const std::string& cert_file, const std::string& key_file) {
  TlsSetup setup;
  std::string cert = cert_file;
  std::string key = key_file;
  if (cert.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/shoal-tls-XXXXXX";
    if (::mkdtemp(dir.data()) == nullptr) {
      setup.error = "cannot create a directory for the TLS certificate (" + dir + "): " + std::strerror(errno);
      return setup;
    }
    setup.generated_dir = dir;
    if (auto error = generate_self_signed(dir); !error.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
      setup.generated_dir.clear();
      setup.error = "cannot generate a TLS certificate: " + error;
      return setup;
    }
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
  }
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  // HTTP/2 over TLS needs TLS 1.2 or later (RFC 9113 9.2).
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  if (!ec) context->use_certificate_chain_file(cert, ec);
  if (ec) {
    setup.error = "cannot use the TLS certificate " + cert + ": " + ec.message();
    return setup;
  }
  context->use_private_key_file(key, ssl::context::pem, ec);
  if (ec) {
    setup.error = "cannot use the TLS key " + key + ": " + ec.message();
    return setup;
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    setup.error = openssl_error("the TLS key " + key + " does not match the certificate " + cert);
    return setup;
  }
  SSL_CTX_set_alpn_select_cb(context->native_handle(), &select_alpn, nullptr);
  setup.context = std::move(context);
  setup.cert_path = cert;
  return setup;
}

}  // namespace shoal::server
