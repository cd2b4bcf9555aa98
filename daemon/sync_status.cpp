#include "daemon/sync_status.h"

#include <time.h>

#include <cstdio>

namespace rosterd::daemon {
namespace {

constexpr std::size_t kMaxReason = 200;  // STATUS= is shown by `systemctl status` on one line

long long countOf(const nlohmann::json& counts, const char* key) {
    auto it = counts.find(key);
    return it != counts.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

std::string shortReason(std::string text) {
    for (auto& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    if (text.size() > kMaxReason) text = text.substr(0, kMaxReason) + "...";
    return text;
}

}  // namespace

std::string utcTimestamp(std::int64_t epochMillis) {
    time_t seconds = static_cast<time_t>(epochMillis / 1000);
    tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

std::string syncStatusLine(const sync::RunOutcome& outcome, std::int64_t nowMillis) {
    const sync::RunRecord& r = outcome.record;
    std::int64_t ended = r.finishedAt.value_or(nowMillis);
    std::string line = std::string("last sync") + (r.dryRun ? " (dry run) " : " ") +
                       std::string(sync::runStatusName(outcome.status)) + " at " + utcTimestamp(ended);
    if (outcome.status != sync::RunStatus::Succeeded) {
        std::string reason = !outcome.error.empty() ? outcome.error : r.error.value_or("");
        return line + (reason.empty() ? "" : ": " + shortReason(reason));
    }
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.1f s",
                  static_cast<double>(ended > r.startedAt ? ended - r.startedAt : 0) / 1000.0);
    return line + ": " + std::to_string(countOf(r.counts, "users_created")) + " created, " +
           std::to_string(countOf(r.counts, "users_updated")) + " updated, " +
           std::to_string(countOf(r.counts, "users_deactivated")) + " deactivated (" + duration + ")";
}

}  // namespace rosterd::daemon
