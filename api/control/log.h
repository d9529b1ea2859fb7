// The process log: one line per event on stderr, filtered by a level set once
// at start-up (--log-level). Errors and warnings always print (unless the
// level is error: then only errors); request lines are debug. Thread-safe:
// the level is an atomic and every line is written with one fputs, so lines
// from several threads never interleave.
#pragma once

#include <optional>
#include <string_view>

namespace shoal::api {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

void set_log_level(LogLevel level);
LogLevel log_level();
inline bool log_enabled(LogLevel level) { return static_cast<int>(level) <= static_cast<int>(log_level()); }

// "error", "warn", "info", "debug" (nullopt otherwise) and back.
std::optional<LogLevel> parse_log_level(std::string_view text);
std::string_view to_string(LogLevel level);

// Writes "<UTC time> <level> <message>\n" when the level is enabled.
void log_line(LogLevel level, std::string_view message);

}  // namespace shoal::api
