#pragma once
#include <chrono>
#include <string_view>

namespace rosterd {

/// Parses durations such as "10s", "15m", "12h", "4w", "30d", "500ms", or a bare number of
/// seconds. "-1" means "never" and yields a negative duration. Throws std::invalid_argument.
std::chrono::milliseconds parseDuration(std::string_view text);

/// Renders a duration in the largest unit that divides it ("90s" -> "90s", "3600s" -> "1h").
std::string formatDuration(std::chrono::milliseconds d);

}  // namespace rosterd
