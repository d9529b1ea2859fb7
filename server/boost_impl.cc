// The one translation unit that compiles Boost.Asio's and Boost.Beast's
// non-template code (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are set for every server source), instead
// of every file that includes them compiling it again.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>  // the TLS port (server/tls_context.cc, SessionStream)
#include <boost/beast/src.hpp>
