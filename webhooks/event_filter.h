#pragma once
// Which events an endpoint wants: a list of patterns, each "*", "<category>.*" or an exact type.
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::webhooks {

/// Throws std::invalid_argument when a pattern names no known event type or category.
void validateEventPatterns(const std::vector<std::string>& patterns);
/// True when `type` matches any of the patterns.
bool matchesAny(const std::vector<std::string>& patterns, std::string_view type);

}  // namespace rosterd::webhooks
