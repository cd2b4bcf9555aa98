#include "sync/plan.h"

#include <algorithm>
#include <absl/container/flat_hash_map.h>

namespace rosterd::sync {

std::size_t Plan::changeCount() const {
    std::size_t n = 0;
    for (const auto& [kind, count] : counts()) n += count;
    return n;
}

std::vector<std::pair<std::string, std::size_t>> Plan::counts() const {
    return {{"users_created", userCreates.size()},     {"users_updated", userUpdates.size()},
            {"users_linked", userLinks.size()},        {"users_deactivated", userDeactivations.size()},
            {"users_deleted", userDeletes.size()},     {"groups_created", groupCreates.size()},
            {"groups_updated", groupUpdates.size()},   {"groups_deleted", groupDeletes.size()},
            {"members_added", memberAdds.size()},      {"members_removed", memberRemoves.size()}};
}

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

void planUsers(const Snapshot& desired, const CurrentState& current, const PlanOptions& options,
               const std::function<std::string()>& newId, Plan& plan, std::vector<std::uint32_t>& userSlot,
               bool wholeDirectory) {
    absl::flat_hash_map<std::string_view, std::uint32_t> byExternal;
    byExternal.reserve(current.users.size());
    // Which account holds each email now (directory accounts by index; local ones by id). The
    // keys are views into `current` and `desired`, which outlive the plan's making.
    absl::flat_hash_map<std::string_view, std::uint32_t> ldapEmail;
    ldapEmail.reserve(current.users.size() + desired.users.size());
    plan.userIds.reserve(current.users.size() + desired.users.size());
    for (std::uint32_t i = 0; i < current.users.size(); ++i) {
        const auto& u = current.users[i];
        byExternal.emplace(u.externalId, i);
        ldapEmail.emplace(u.email, i);
        plan.userIds.push_back(u.id);
        if (u.active) ++plan.activeDirectoryUsers;
    }
    std::vector<bool> seen(current.users.size(), false);
    std::unordered_map<std::string, bool> localClaimed;

    // Pass 1: existing entries, so an email given up by one entry is free for a newcomer.
    userSlot.assign(desired.users.size(), kNone);
    std::vector<std::string> changed;
    for (std::uint32_t di = 0; di < desired.users.size(); ++di) {
        const DirUser& d = desired.users[di];
        auto it = byExternal.find(d.id);
        if (it == byExternal.end()) continue;
        std::uint32_t ci = it->second;
        seen[ci] = true;
        userSlot[di] = ci;
        const CurrentUser& c = current.users[ci];
        changed.clear();
        if (d.dn != c.dn) changed.push_back("dn");
        if (d.username != c.username) changed.push_back("username");
        if (d.name != c.name) changed.push_back("name");
        bool keepEmail = false;
        if (d.email != c.email) {
            auto holder = ldapEmail.find(d.email);
            bool takenByLdap = holder != ldapEmail.end() && holder->second != ci;
            if (takenByLdap || current.localEmails.count(d.email)) {
                plan.skipped.push_back({"user", d.id, d.dn, "email " + d.email + " is used by another account; kept " + c.email});
                keepEmail = true;
            } else {
                changed.push_back("email");
                ldapEmail.erase(c.email);
                ldapEmail[d.email] = ci;
            }
        }
        if (!c.active) changed.push_back("active");
        if (changed.empty()) continue;  // the usual case: nothing to write, nothing copied
        UserWrite w{c.id, d, changed, !c.active};
        if (keepEmail) w.user.email = c.email;
        plan.userUpdates.push_back(std::move(w));
    }
    // Pass 2: new entries.
    for (std::uint32_t di = 0; di < desired.users.size(); ++di) {
        if (userSlot[di] != kNone) continue;
        const DirUser& d = desired.users[di];
        if (auto holder = ldapEmail.find(d.email); holder != ldapEmail.end()) {
            plan.skipped.push_back({"user", d.id, d.dn,
                                    "email " + d.email + " is used by directory account " + current.users[holder->second].dn});
            continue;
        }
        if (auto local = current.localEmails.find(d.email); local != current.localEmails.end()) {
            if (!options.linkLocalAccounts || localClaimed.count(local->second)) {
                plan.skipped.push_back({"user", d.id, d.dn, "email " + d.email + " belongs to a local account (not linked)"});
                continue;
            }
            localClaimed.emplace(local->second, true);
            userSlot[di] = static_cast<std::uint32_t>(plan.userIds.size());
            plan.userIds.push_back(local->second);
            plan.userLinks.push_back({local->second, d, {"source", "external_id", "dn", "username", "name"}, false});
            continue;
        }
        std::string id = newId();
        userSlot[di] = static_cast<std::uint32_t>(plan.userIds.size());
        plan.userIds.push_back(id);
        ldapEmail.emplace(d.email, kNone);
        plan.userCreates.push_back({std::move(id), d, {}, false});
    }
    // Entries no longer in scope (only a read of the whole directory can tell).
    for (std::uint32_t ci = 0; wholeDirectory && ci < current.users.size(); ++ci) {
        if (seen[ci]) continue;
        const CurrentUser& c = current.users[ci];
        if (c.active) {
            plan.userDeactivations.push_back({c.id, c.externalId, c.email});
        } else if (options.deleteAfterSeconds > 0 && c.deactivatedAt &&
                   *c.deactivatedAt <= options.nowSeconds - options.deleteAfterSeconds) {
            plan.userDeletes.push_back({c.id, c.externalId, c.email});
        }
    }
}

void planGroups(const Snapshot& desired, const CurrentState& current, const std::function<std::string()>& newId,
                Plan& plan, std::vector<std::uint32_t>& groupSlot, std::vector<bool>& groupDeleted) {
    absl::flat_hash_map<std::string_view, std::uint32_t> byExternal;
    absl::flat_hash_map<std::string_view, std::uint32_t> byName;
    for (std::uint32_t i = 0; i < current.groups.size(); ++i) {
        byExternal.emplace(current.groups[i].externalId, i);
        byName.emplace(current.groups[i].name, i);
        plan.groupIds.push_back(current.groups[i].id);
    }
    std::vector<bool> seen(current.groups.size(), false);
    groupSlot.assign(desired.groups.size(), kNone);
    for (std::uint32_t di = 0; di < desired.groups.size(); ++di) {
        const DesiredGroup& d = desired.groups[di];
        auto it = byExternal.find(d.id);
        if (it == byExternal.end()) continue;
        std::uint32_t ci = it->second;
        seen[ci] = true;
        groupSlot[di] = ci;
        const CurrentGroup& c = current.groups[ci];
        GroupWrite w{c.id, c.externalId, d.dn, d.name, {}};
        if (d.dn != c.dn) w.changed.push_back("dn");
        if (d.name != c.name) {
            auto holder = byName.find(d.name);
            if (holder != byName.end() && holder->second != ci) {
                plan.skipped.push_back({"group", d.id, d.dn, "group name " + d.name + " is used by another directory group"});
                w.name = c.name;
            } else {
                w.changed.push_back("name");
            }
        }
        if (!w.changed.empty()) plan.groupUpdates.push_back(std::move(w));
    }
    for (std::uint32_t di = 0; di < desired.groups.size(); ++di) {
        if (groupSlot[di] != kNone) continue;
        const DesiredGroup& d = desired.groups[di];
        if (auto holder = byName.find(d.name); holder != byName.end() && seen[holder->second]) {
            plan.skipped.push_back({"group", d.id, d.dn, "group name " + d.name + " is used by another directory group"});
            continue;
        }
        std::string id = newId();
        groupSlot[di] = static_cast<std::uint32_t>(plan.groupIds.size());
        plan.groupIds.push_back(id);
        plan.groupCreates.push_back({std::move(id), d.id, d.dn, d.name, {}});
    }
    groupDeleted.assign(current.groups.size(), false);
    for (std::uint32_t ci = 0; ci < current.groups.size(); ++ci) {
        if (seen[ci]) continue;
        const CurrentGroup& c = current.groups[ci];
        groupDeleted[ci] = true;
        plan.groupDeletes.push_back({c.id, c.externalId, c.dn, c.name, {}});
    }
}

}  // namespace

Plan makePlan(const Snapshot& desired, const CurrentState& current, const PlanOptions& options,
              const std::function<std::string()>& newId) {
    Plan plan;
    std::vector<std::uint32_t> userSlot, groupSlot;
    std::vector<bool> groupDeleted;
    planUsers(desired, current, options, newId, plan, userSlot, true);
    planGroups(desired, current, newId, plan, groupSlot, groupDeleted);

    std::vector<std::uint64_t> want;
    want.reserve(desired.membershipCount());
    for (std::uint32_t gi = 0; gi < desired.groups.size(); ++gi) {
        if (groupSlot[gi] == kNone) continue;
        for (std::uint32_t ui : desired.groups[gi].members)
            if (userSlot[ui] != kNone) want.push_back((std::uint64_t(groupSlot[gi]) << 32) | userSlot[ui]);
    }
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    std::vector<std::uint64_t> diff;
    std::set_difference(want.begin(), want.end(), current.memberships.begin(), current.memberships.end(),
                        std::back_inserter(diff));
    plan.memberAdds.reserve(diff.size());
    for (auto k : diff) plan.memberAdds.emplace_back(std::uint32_t(k >> 32), std::uint32_t(k & 0xffffffffu));
    diff.clear();
    std::set_difference(current.memberships.begin(), current.memberships.end(), want.begin(), want.end(),
                        std::back_inserter(diff));
    for (auto k : diff) {
        auto g = std::uint32_t(k >> 32);
        if (groupDeleted[g]) continue;  // the group's deletion removes its memberships
        plan.memberRemoves.emplace_back(g, std::uint32_t(k & 0xffffffffu));
    }
    return plan;
}

Plan planUserChanges(const Snapshot& changed, const CurrentState& affected, const PlanOptions& options,
                     const std::function<std::string()>& newId) {
    Plan plan;
    std::vector<std::uint32_t> userSlot;
    planUsers(changed, affected, options, newId, plan, userSlot, false);
    for (const auto& g : affected.groups) plan.groupIds.push_back(g.id);
    return plan;
}

}  // namespace rosterd::sync
