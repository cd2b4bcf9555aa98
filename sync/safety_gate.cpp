#include "sync/safety_gate.h"

#include <cstdio>

namespace rosterd::sync {

std::optional<std::string> thresholdRefusal(const Plan& plan, const SyncConfig& config) {
    const std::size_t removals = plan.userDeactivations.size() + plan.userDeletes.size();
    if (removals == 0) return std::nullopt;
    if (static_cast<long long>(removals) > config.maxDeactivations)
        return "would deactivate or delete " + std::to_string(removals) + " users, more than max_deactivations = " +
               std::to_string(config.maxDeactivations);
    const std::size_t base = plan.activeDirectoryUsers;
    if (base > 0) {
        double percent = 100.0 * static_cast<double>(removals) / static_cast<double>(base);
        if (percent > config.maxDeactivationPercent) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "would deactivate or delete %zu of %zu directory users (%.1f%%), more than "
                          "max_deactivation_percent = %g", removals, base, percent, config.maxDeactivationPercent);
            return std::string(buf);
        }
    }
    return std::nullopt;
}

}  // namespace rosterd::sync
