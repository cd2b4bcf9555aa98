#include "sync/safety_gate.h"

#include <cstdio>
#include <unordered_set>
#include <vector>

#include "sync/role_mapping.h"

namespace rosterd::sync {
namespace {

// Every user threshold the plan crosses (both the count and the percentage may be).
void userRefusals(const Plan& plan, const SyncConfig& config, std::vector<std::string>& out) {
    // Demotions and refusals by the directory policy take as much away as a deactivation.
    const std::size_t policy = policyRemovals(plan);
    const std::size_t removals = plan.userDeactivations.size() + plan.userDeletes.size() + policy;
    if (removals == 0) return;
    const char* what = policy == 0 ? "deactivate or delete" : "deactivate, delete, refuse or demote";
    if (static_cast<long long>(removals) > config.maxDeactivations)
        out.push_back(std::string("would ") + what + " " + std::to_string(removals) +
                      " users, more than max_deactivations = " + std::to_string(config.maxDeactivations));
    const std::size_t base = plan.activeDirectoryUsers;
    if (base > 0) {
        double percent = 100.0 * static_cast<double>(removals) / static_cast<double>(base);
        if (percent > config.maxDeactivationPercent) {
            char buf[200];
            std::snprintf(buf, sizeof buf,
                          "would %s %zu of %zu directory users (%.1f%%), more than "
                          "max_deactivation_percent = %g",
                          what, removals, base, percent, config.maxDeactivationPercent);
            out.emplace_back(buf);
        }
    }
}

// `count` of `base` over the group limit, as a refusal naming `what`.
std::optional<std::string> overGroupLimit(std::size_t count, std::size_t base, const char* what,
                                          const SyncConfig& config) {
    if (count == 0 || base == 0) return std::nullopt;
    const double percent = 100.0 * static_cast<double>(count) / static_cast<double>(base);
    if (percent <= config.maxGroupDeletions) return std::nullopt;
    char buf[200];
    std::snprintf(buf, sizeof buf, "would %s %zu of %zu (%.1f%%), more than max_group_deletions = %g", what, count,
                  base, percent, config.maxGroupDeletions);
    return std::string(buf);
}

void groupRefusals(const Plan& plan, const SyncConfig& config, std::vector<std::string>& out) {
    // A group read that returns nothing is far more often a wrong base, filter or ACL than a
    // directory whose every group was deleted.
    if (plan.groupsRead && plan.groupsReadCount == 0 && plan.activeDirectoryGroups > 0) {
        out.push_back("the directory returned no groups while the store holds " +
                      std::to_string(plan.activeDirectoryGroups) +
                      " active directory groups (check [ldap] group_base, group_filter and the service account's "
                      "access)");
        return;  // every group would go: the limits below say nothing more
    }
    if (auto r = overGroupLimit(plan.groupDeactivations.size() + plan.groupDeletes.size(), plan.activeDirectoryGroups,
                                "deactivate or delete directory groups:", config))
        out.push_back(*r);
    // Memberships of users this run deactivates go with them and are counted by the user limit.
    std::unordered_set<std::string> leaving;
    for (const auto& u : plan.userDeactivations) leaving.insert(u.id);
    for (const auto& u : plan.userDeletes) leaving.insert(u.id);
    std::size_t removed = 0;
    for (const auto& [g, u] : plan.memberRemoves)
        if (!leaving.count(plan.userIds[u])) ++removed;
    if (auto r = overGroupLimit(removed, plan.directoryMemberships, "remove group memberships:", config))
        out.push_back(*r);
}

}  // namespace

std::optional<std::string> thresholdRefusal(const Plan& plan, const SyncConfig& config) {
    std::vector<std::string> crossed;
    userRefusals(plan, config, crossed);
    groupRefusals(plan, config, crossed);
    if (crossed.empty()) return std::nullopt;
    std::string out;
    for (const auto& c : crossed) out += (out.empty() ? "" : "; ") + c;
    return out;
}

std::string refusalGuidance(const std::string& runId) {
    return "Check [ldap] user_base, user_filter, group_base and group_filter, and the directory itself: a moved "
           "base, a changed filter or a lost read permission looks exactly like a mass departure. Preview the whole "
           "plan with `rosterd sync --dry-run` or POST /api/v1/sync/run {\"dry_run\": true} (this run's plan: "
           "GET /api/v1/sync/runs/" +
           runId +
           "/plan). If the changes are meant, apply them once with `rosterd sync --force` or POST "
           "/api/v1/sync/run {\"force\": true}.";
}

}  // namespace rosterd::sync
