#include "daemon/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace rosterd::daemon {
namespace {

/// Renders "<N>" with the syslog priority of the record's level (sd-daemon(3)).
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        const char* prefix = "<6>";
        switch (msg.level) {
            case spdlog::level::trace:
            case spdlog::level::debug:
                prefix = "<7>";
                break;
            case spdlog::level::info:
                prefix = "<6>";
                break;
            case spdlog::level::warn:
                prefix = "<4>";
                break;
            case spdlog::level::err:
                prefix = "<3>";
                break;
            case spdlog::level::critical:
                prefix = "<2>";
                break;
            default:
                break;
        }
        dest.append(prefix, prefix + 3);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<SyslogPriorityFlag>(); }
};

}  // namespace

bool stderrIsJournal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (!stream || !*stream) return false;
    // systemd sets "device:inode" of the stream it connected; a child whose stderr was redirected
    // elsewhere inherits the variable, so compare it with what stderr really is.
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
    struct stat st {};
    if (fstat(STDERR_FILENO, &st) != 0) return false;
    return static_cast<unsigned long long>(st.st_dev) == dev && static_cast<unsigned long long>(st.st_ino) == ino;
}

std::string logPattern(bool journal) { return journal ? "%*%v" : "%Y-%m-%d %H:%M:%S.%e %^%l%$ %v"; }

void configureLogging(const std::string& level) {
    auto logger = spdlog::get("rosterd");
    if (!logger) {
        logger = std::make_shared<spdlog::logger>("rosterd", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
        spdlog::register_logger(logger);
    }
    bool journal = stderrIsJournal();
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<SyslogPriorityFlag>('*').set_pattern(logPattern(journal));
    logger->set_formatter(std::move(formatter));
    spdlog::set_default_logger(logger);
    setLogLevel(level);
    spdlog::flush_on(journal ? spdlog::level::trace : spdlog::level::warn);
}

void setLogLevel(const std::string& level) { spdlog::set_level(spdlog::level::from_str(level)); }

void flushLogs() {
    if (auto logger = spdlog::default_logger()) logger->flush();
}

}  // namespace rosterd::daemon
