// TLS for the --tls-port listener: an OpenSSL server context whose ALPN
// picks "h2" or "http/1.1", with the certificate and key from PEM files or,
// when none are given, a self-signed certificate for localhost / 127.0.0.1
// generated at start-up and written to a fresh temporary directory (so a
// client can trust it). Called once at start-up, from one thread.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace shoal::server {

struct TlsSetup {
  std::unique_ptr<boost::asio::ssl::context> context;  // null: failed, see error
  std::string cert_path;                               // the certificate in use (PEM)
  std::string generated_dir;                           // set when generated: removed at exit
  std::string error;
};

// cert_file and key_file both empty: generate a self-signed certificate.
TlsSetup make_tls_context(const std::string& cert_file, const std::string& key_file);

}  // namespace shoal::server
