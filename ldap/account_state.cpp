#include "ldap/account_state.h"

#include <charconv>
#include <ctime>

namespace rosterd::ldap {
namespace {

constexpr std::int64_t kDisabled = 0x2;
constexpr std::int64_t kTicksPerSecond = 10'000'000;
constexpr std::int64_t kEpochDifference = 11'644'473'600;  // seconds from 1601-01-01 to 1970-01-01

bool parse(const std::string& text, std::int64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::string isoTime(std::int64_t unixSeconds) {
    std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::int64_t accountExpiresUnix(const std::string& fileTime) {
    std::int64_t ticks = 0;
    if (!parse(fileTime, ticks) || ticks <= 0 || ticks == INT64_MAX) return -1;
    return ticks / kTicksPerSecond - kEpochDifference;
}

std::string accountStateReason(const Entry& entry, std::int64_t nowUnixSeconds) {
    std::int64_t flags = 0;
    if (auto uac = entry.first(kUserAccountControl); uac && parse(*uac, flags) && (flags & kDisabled))
        return "disabled in the directory (userAccountControl)";
    if (auto expires = entry.first(kAccountExpires)) {
        std::int64_t at = accountExpiresUnix(*expires);
        if (at >= 0 && at <= nowUnixSeconds) return "expired in the directory on " + isoTime(at) + " (accountExpires)";
    }
    return "";
}

}  // namespace rosterd::ldap
