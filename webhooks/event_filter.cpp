#include "webhooks/event_filter.h"

#include <stdexcept>

#include "webhooks/event_types.h"

namespace rosterd::webhooks {
namespace {

bool matches(std::string_view pattern, std::string_view type) {
    if (pattern == "*") return true;
    if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ".*") {
        std::string_view prefix = pattern.substr(0, pattern.size() - 1);  // keeps the dot
        return type.size() > prefix.size() && type.substr(0, prefix.size()) == prefix;
    }
    return pattern == type;
}

}  // namespace

void validateEventPatterns(const std::vector<std::string>& patterns) {
    if (patterns.empty()) throw std::invalid_argument("the list of events is empty");
    for (const auto& p : patterns) {
        bool known = false;
        for (auto type : event_types::kAll) known = known || matches(p, type);
        if (!known)
            throw std::invalid_argument(
                "'" + p +
                "' matches no event type (use '*', 'user.*', 'group.*', 'sync.*' or a name such as 'user.created')");
    }
}

bool matchesAny(const std::vector<std::string>& patterns, std::string_view type) {
    for (const auto& p : patterns)
        if (matches(p, type)) return true;
    return false;
}

}  // namespace rosterd::webhooks
