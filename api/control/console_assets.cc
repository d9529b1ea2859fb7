// GET /_shoal/console: the web console's page, script and style sheet,
// embedded in the binary at build time (cmake/embed_file.cmake), so it works
// offline and needs no files at run time. The page is only a view: it reads
// /_shoal/overview and the other control endpoints, and acts through them or
// through the AWS actions themselves. Its Content-Security-Policy allows
// scripts, styles and requests from this server only, and no inline script,
// so even a name that slipped into the DOM as markup could not run.
#include <string_view>

#include "api/control/control_call.h"

namespace shoal::embedded {
extern const std::string_view kConsoleHtml;
extern const std::string_view kConsoleJs;
extern const std::string_view kConsoleCss;
}  // namespace shoal::embedded

namespace shoal::api::control {
namespace {

constexpr std::string_view kConsolePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

ApiResponse console_asset(std::string_view content_type, std::string_view body, const std::string& request_id,
                          bool head) {
  ApiResponse r;
  r.status = 200;
  r.content_type = std::string(content_type);
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  // A rebuilt server serves its new page at once.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", std::string(kConsolePolicy));
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (!head) r.body = std::string(body);
  return r;
}

}  // namespace

ApiResponse console(const ControlCall& call) {
  const auto& id = call.ctx.request_id;
  const bool head = call.request.method == "HEAD";
  if (call.rest.empty() || call.rest == "/" || call.rest == "/index.html") {
    return console_asset("text/html; charset=utf-8", embedded::kConsoleHtml, id, head);
  }
  if (call.rest == "/console.js") return console_asset("text/javascript; charset=utf-8", embedded::kConsoleJs, id, head);
  if (call.rest == "/console.css") return console_asset("text/css; charset=utf-8", embedded::kConsoleCss, id, head);
  return control_error(404, "NotFound", "The console serves /_shoal/console, console.js and console.css.", id);
}

}  // namespace shoal::api::control
