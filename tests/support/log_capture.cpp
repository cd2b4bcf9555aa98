#include "support/log_capture.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace rosterd::test {

LogCapture::LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    sink->set_pattern("[%l] %v");
    logger_ = std::make_shared<spdlog::logger>("capture", sink);
    logger_->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger_);
}

LogCapture::~LogCapture() { spdlog::set_default_logger(previous_); }

std::string LogCapture::text() {
    logger_->flush();
    return out_.str();
}

}  // namespace rosterd::test
