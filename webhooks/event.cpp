#include "webhooks/event.h"

#include <cstdio>
#include <ctime>

namespace rosterd::webhooks {

std::string isoTimestamp(std::int64_t epochMillis) {
    std::time_t secs = static_cast<std::time_t>(epochMillis / 1000);
    int millis = static_cast<int>(epochMillis % 1000);
    if (millis < 0) {
        millis += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

nlohmann::json standardBody(const Event& e) {
    return {{"type", e.type}, {"timestamp", isoTimestamp(e.timestampMs)}, {"data", e.data}};
}

}  // namespace rosterd::webhooks
