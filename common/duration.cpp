#include "common/duration.h"

#include <charconv>
#include <stdexcept>
#include <string>

namespace rosterd {

std::chrono::milliseconds parseDuration(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty()) throw std::invalid_argument("empty duration");
    if (text == "-1") return std::chrono::milliseconds(-1);
    long long n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || n < 0)
        throw std::invalid_argument("'" + std::string(text) + "' is not a duration (e.g. 30s, 15m, 12h, 4w)");
    std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
    long long factor = 0;
    if (unit.empty() || unit == "s")
        factor = 1000;
    else if (unit == "ms")
        factor = 1;
    else if (unit == "m")
        factor = 60'000;
    else if (unit == "h")
        factor = 3'600'000;
    else if (unit == "d")
        factor = 86'400'000;
    else if (unit == "w")
        factor = 604'800'000;
    else
        throw std::invalid_argument("'" + std::string(text) + "' has an unknown unit (use ms, s, m, h, d or w)");
    // Bounded so that n * factor cannot overflow and a deadline now() + d stays within the
    // nanosecond clocks' range (about 292 years either side of their epoch).
    constexpr long long kMaxMs = 100LL * 366 * 86'400'000;
    if (n > kMaxMs / factor) throw std::invalid_argument("'" + std::string(text) + "' is longer than 100 years");
    return std::chrono::milliseconds(n * factor);
}

std::string formatDuration(std::chrono::milliseconds d) {
    long long ms = d.count();
    if (ms < 0) return "-1";
    struct U {
        long long f;
        const char* s;
    };
    for (U u : {U{604'800'000, "w"}, U{86'400'000, "d"}, U{3'600'000, "h"}, U{60'000, "m"}, U{1000, "s"}})
        if (ms != 0 && ms % u.f == 0) return std::to_string(ms / u.f) + u.s;
    return std::to_string(ms) + "ms";
}

}  // namespace rosterd
