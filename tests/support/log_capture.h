#pragma once
// Everything spdlog's default logger writes while a LogCapture lives, for the checks on log lines.
#include <memory>
#include <sstream>
#include <string>

namespace spdlog {
class logger;
}

namespace rosterd::test {

/// Replaces the default logger for its life with one at level info that writes "[level] message"
/// lines into memory; the previous default logger comes back when it is destroyed.
class LogCapture {
public:
    LogCapture();
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    /// What was logged so far.
    std::string text();

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> logger_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace rosterd::test
