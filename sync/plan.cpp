#include "sync/plan.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace rosterd::sync {

std::size_t Plan::changeCount() const {
    std::size_t n = 0;
    for (const auto& [kind, count] : counts()) n += count;
    return n;
}

std::vector<std::pair<std::string, std::size_t>> Plan::counts() const {
    return {{"users_created", userCreates.size()},
            {"users_updated", userUpdates.size()},
            {"users_linked", userLinks.size()},
            {"users_deactivated", userDeactivations.size()},
            {"users_deleted", userDeletes.size()},
            {"groups_created", groupCreates.size()},
            {"groups_updated", groupUpdates.size()},
            {"groups_deleted", groupDeletes.size()},
            {"groups_deactivated", groupDeactivations.size()},
            {"groups_reactivated", groupReactivations.size()},
            {"members_added", memberAdds.size()},
            {"members_removed", memberRemoves.size()},
            {"roles_changed", roleChanges.size()},
            {"users_denied", accessDenials.size()},
            {"users_allowed", accessRestores.size()}};
}

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;      // no slot / held by an entry this plan creates
constexpr std::uint32_t kFree = UINT32_MAX - 1;  // given up during this plan

// Which directory account holds each email as the plan goes: the store's holders (from the
// index), with the plan's own moves on top, so a run that moves no email copies nothing. Keys are
// views into the current state and the snapshot, which outlive the plan's making.
class EmailHolders {
public:
    explicit EmailHolders(const absl::flat_hash_map<std::string_view, std::uint32_t>& stored) : stored_(stored) {}
    /// The holder's index into current.users (kNone: an entry this plan creates); nullopt: free.
    std::optional<std::uint32_t> find(std::string_view email) const {
        if (auto it = moved_.find(email); it != moved_.end())
            return it->second == kFree ? std::nullopt : std::optional<std::uint32_t>(it->second);
        if (auto it = stored_.find(email); it != stored_.end()) return it->second;
        return std::nullopt;
    }
    void release(std::string_view email) { moved_[email] = kFree; }
    void assign(std::string_view email, std::uint32_t holder) { moved_[email] = holder; }
    void reserve(std::size_t n) { moved_.reserve(moved_.size() + n); }

private:
    const absl::flat_hash_map<std::string_view, std::uint32_t>& stored_;
    absl::flat_hash_map<std::string_view, std::uint32_t> moved_;
};

// `matches`: each desired user's match, worked out beforehand; nullptr: worked out here.
// `written`: users created while the directory was read (nullptr: none).
void planUsers(const Snapshot& desired, const CurrentState& current, const CurrentIndex& index,
               const UserMatch* matches, WrittenUsers* written, const PlanOptions& options,
               const std::function<std::string()>& newId, Plan& plan, std::vector<std::uint32_t>& userSlot,
               bool wholeDirectory) {
    EmailHolders ldapEmail(index.byEmail);
    plan.userIds.reserve(current.users.size() + desired.users.size());
    for (const auto& u : current.users) {
        plan.userIds.push_back(u.id);
        if (u.active) ++plan.activeDirectoryUsers;
    }
    std::vector<bool> seen(current.users.size(), false);
    std::unordered_map<std::string, bool> localClaimed;

    // Pass 1: existing entries, so an email given up by one entry is free for a newcomer.
    userSlot.assign(desired.users.size(), kNone);
    std::size_t newcomers = 0;
    std::vector<std::string> changed;
    for (std::uint32_t di = 0; di < desired.users.size(); ++di) {
        const DirUser& d = desired.users[di];
        const UserMatch m = matches ? matches[di] : matchUser(d, current, index);
        if (m.current == UserMatch::kNew) {
            ++newcomers;
            continue;
        }
        const std::uint32_t ci = m.current;
        seen[ci] = true;
        userSlot[di] = ci;
        if (m.differs == 0) continue;  // the usual case: nothing to write, nothing copied
        const CurrentUser& c = current.users[ci];
        changed.clear();
        if (m.differs & UserMatch::Dn) changed.push_back("dn");
        if (m.differs & UserMatch::Username) changed.push_back("username");
        if (m.differs & UserMatch::Name) changed.push_back("name");
        bool keepEmail = false;
        if (m.differs & UserMatch::Email) {
            auto holder = ldapEmail.find(d.email);
            bool takenByLdap = holder && *holder != ci;
            if (takenByLdap || current.localEmails.count(d.email)) {
                plan.skipped.push_back(
                    {"user", d.id, d.dn, "email " + d.email + " is used by another account; kept " + c.email});
                keepEmail = true;
            } else {
                changed.push_back("email");
                ldapEmail.release(c.email);
                ldapEmail.assign(d.email, ci);
            }
        }
        if (m.differs & UserMatch::Inactive) changed.push_back("active");
        if (m.differs & UserMatch::ProfileImage) changed.push_back("profile_image_url");
        if (changed.empty()) continue;  // only an email it could not take
        UserWrite w{c.id, d, changed, !c.active};
        if (keepEmail) w.user.email = c.email;
        plan.userUpdates.push_back(std::move(w));
    }
    ldapEmail.reserve(newcomers);
    // Pass 2: new entries. Those written while reading come first in userCreates.
    std::size_t nextWritten = 0;
    std::vector<UserWrite> creates;
    for (std::uint32_t di = 0; di < desired.users.size(); ++di) {
        if (userSlot[di] != kNone) continue;
        const DirUser& d = desired.users[di];
        if (written && nextWritten < written->users.size() && written->users[nextWritten] == di) {
            // In the store already (its email was free when it was read): planned as created.
            std::string& id = written->ids[nextWritten++];
            userSlot[di] = static_cast<std::uint32_t>(plan.userIds.size());
            plan.userIds.push_back(id);
            ldapEmail.assign(d.email, kNone);
            plan.userCreates.push_back({std::move(id), d, {}, false});
            continue;
        }
        if (auto holder = ldapEmail.find(d.email)) {
            plan.skipped.push_back(
                {"user", d.id, d.dn,
                 "email " + d.email + " is used by directory account " +
                     (*holder == kNone ? std::string("created in this run") : current.users[*holder].dn)});
            continue;
        }
        if (auto local = current.localEmails.find(d.email); local != current.localEmails.end()) {
            if (!options.linkLocalAccounts || localClaimed.count(local->second)) {
                plan.skipped.push_back(
                    {"user", d.id, d.dn, "email " + d.email + " belongs to a local account (not linked)"});
                continue;
            }
            if (auto why = current.localLinkRefusals.find(local->second); why != current.localLinkRefusals.end()) {
                plan.skipped.push_back({"user", d.id, d.dn,
                                        "email " + d.email + " belongs to local account " + local->second +
                                            ", not linked: " + why->second});
                continue;
            }
            localClaimed.emplace(local->second, true);
            userSlot[di] = static_cast<std::uint32_t>(plan.userIds.size());
            plan.userIds.push_back(local->second);
            std::vector<std::string> linked = {"source", "external_id", "dn", "username", "name"};
            if (d.profileImageUrl) linked.push_back("profile_image_url");
            plan.userLinks.push_back({local->second, d, std::move(linked), false});
            continue;
        }
        std::string id = newId();
        userSlot[di] = static_cast<std::uint32_t>(plan.userIds.size());
        plan.userIds.push_back(id);
        ldapEmail.assign(d.email, kNone);
        creates.push_back({std::move(id), d, {}, false});
    }
    if (written && nextWritten != written->users.size())
        throw std::logic_error("makePlan: a user written while reading is not a new user of the snapshot");
    plan.userCreatesWritten = plan.userCreates.size();
    plan.userCreates.insert(plan.userCreates.end(), std::make_move_iterator(creates.begin()),
                            std::make_move_iterator(creates.end()));
    // Entries no longer in scope (only a read of the whole directory can tell).
    for (std::uint32_t ci = 0; wholeDirectory && ci < current.users.size(); ++ci) {
        if (seen[ci]) continue;
        const CurrentUser& c = current.users[ci];
        if (c.active) {
            auto inactive = desired.inactive.find(c.externalId);
            plan.userDeactivations.push_back(
                {c.id, c.externalId, c.email, inactive == desired.inactive.end() ? "" : inactive->second});
        } else if (options.deleteAfterSeconds > 0 && c.deactivatedAt &&
                   *c.deactivatedAt <= options.nowSeconds - options.deleteAfterSeconds) {
            plan.userDeletes.push_back({c.id, c.externalId, c.email});
        }
    }
}

void planGroups(const Snapshot& desired, const CurrentState& current, const PlanOptions& options,
                const std::function<std::string()>& newId, Plan& plan, std::vector<std::uint32_t>& groupSlot) {
    absl::flat_hash_map<std::string_view, std::uint32_t> byExternal;
    absl::flat_hash_map<std::string_view, std::uint32_t> byName;
    for (std::uint32_t i = 0; i < current.groups.size(); ++i) {
        byExternal.emplace(current.groups[i].externalId, i);
        byName.emplace(current.groups[i].name, i);
        plan.groupIds.push_back(current.groups[i].id);
    }
    std::vector<bool> seen(current.groups.size(), false);
    for (const auto& g : current.groups)
        if (g.active) ++plan.activeDirectoryGroups;
    plan.directoryMemberships = current.memberships.size();
    plan.groupsRead = true;
    plan.groupsReadCount = desired.groups.size();
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
                plan.skipped.push_back(
                    {"group", d.id, d.dn, "group name " + d.name + " is used by another directory group"});
                w.name = c.name;
            } else {
                w.changed.push_back("name");
            }
        }
        if (!c.active) {
            w.changed.push_back("active");
            plan.groupReactivations.push_back(std::move(w));  // with everything it had
        } else if (!w.changed.empty()) {
            plan.groupUpdates.push_back(std::move(w));
        }
    }
    for (std::uint32_t di = 0; di < desired.groups.size(); ++di) {
        if (groupSlot[di] != kNone) continue;
        const DesiredGroup& d = desired.groups[di];
        if (auto holder = byName.find(d.name); holder != byName.end()) {
            // A group gone from the directory keeps its name while deactivated, so that its entry
            // can come back; a new entry under that name waits until it is deleted (delete_after).
            const bool kept = !seen[holder->second];
            plan.skipped.push_back({"group", d.id, d.dn,
                                    "group name " + d.name + " is used by another directory group" +
                                        (kept ? std::string(" (deactivated, kept until delete_after)") : "")});
            continue;
        }
        std::string id = newId();
        groupSlot[di] = static_cast<std::uint32_t>(plan.groupIds.size());
        plan.groupIds.push_back(id);
        plan.groupCreates.push_back({std::move(id), d.id, d.dn, d.name, {}});
    }
    for (std::uint32_t ci = 0; ci < current.groups.size(); ++ci) {
        if (seen[ci]) continue;
        const CurrentGroup& c = current.groups[ci];
        if (c.active) {
            plan.groupDeactivations.push_back({c.id, c.externalId, c.dn, c.name});
        } else if (options.deleteAfterSeconds > 0 && c.deactivatedAt &&
                   *c.deactivatedAt <= options.nowSeconds - options.deleteAfterSeconds) {
            plan.groupDeletes.push_back({c.id, c.externalId, c.dn, c.name});
        }
    }
}

// Membership adds and removes, group by group in slot order: each group's wanted member slots
// (a few dozen, sorted on their own) against its stored ones, which are a contiguous run of the
// sorted current.memberships. The result is in (group, user) order.
void planMemberships(const Snapshot& desired, const CurrentState& current, const std::vector<std::uint32_t>& userSlot,
                     const std::vector<std::uint32_t>& groupSlot, Plan& plan) {
    std::vector<std::uint32_t> desiredOfSlot(plan.groupIds.size(), kNone);
    for (std::uint32_t di = 0; di < desired.groups.size(); ++di)
        if (groupSlot[di] != kNone) desiredOfSlot[groupSlot[di]] = di;
    const auto& stored = current.memberships;
    std::size_t cursor = 0;
    std::vector<std::uint32_t> want;
    for (std::uint32_t gs = 0; gs < desiredOfSlot.size(); ++gs) {
        const std::size_t from = cursor;
        while (cursor < stored.size() && (stored[cursor] >> 32) == gs) ++cursor;
        const std::uint32_t di = desiredOfSlot[gs];
        if (di == kNone) continue;  // a group gone from the directory keeps its members while deactivated
        want.clear();
        for (std::uint32_t ui : desired.groups[di].members)
            if (userSlot[ui] != kNone) want.push_back(userSlot[ui]);
        std::sort(want.begin(), want.end());
        want.erase(std::unique(want.begin(), want.end()), want.end());
        std::size_t w = 0, s = from;
        while (w < want.size() || s < cursor) {
            const std::uint32_t have = s < cursor ? std::uint32_t(stored[s] & 0xffffffffu) : kNone;
            if (w < want.size() && (s == cursor || want[w] < have)) {
                plan.memberAdds.emplace_back(gs, want[w++]);
            } else if (w == want.size() || have < want[w]) {
                plan.memberRemoves.emplace_back(gs, have);
                ++s;
            } else {
                ++w;
                ++s;
            }
        }
    }
}

// A full run's plan; `matches` as for planUsers.
Plan planAll(const Snapshot& desired, const CurrentState& current, const CurrentIndex& index, const UserMatch* matches,
             WrittenUsers* written, const PlanOptions& options, const std::function<std::string()>& newId) {
    Plan plan;
    std::vector<std::uint32_t> userSlot, groupSlot;
    planUsers(desired, current, index, matches, written, options, newId, plan, userSlot, true);
    planGroups(desired, current, options, newId, plan, groupSlot);
    planMemberships(desired, current, userSlot, groupSlot, plan);
    return plan;
}

}  // namespace

Plan makePlan(const Snapshot& desired, const CurrentState& current, const PlanOptions& options,
              const std::function<std::string()>& newId) {
    return planAll(desired, current, CurrentIndex(current), nullptr, nullptr, options, newId);
}

Plan makePlan(const Snapshot& desired, const CurrentState& current, const CurrentIndex& index,
              const std::vector<UserMatch>& matches, const PlanOptions& options,
              const std::function<std::string()>& newId, WrittenUsers written) {
    if (matches.size() != desired.users.size()) throw std::logic_error("makePlan: one match per desired user expected");
    if (written.users.size() != written.ids.size())
        throw std::logic_error("makePlan: one id per written user expected");
    return planAll(desired, current, index, matches.data(), &written, options, newId);
}

Plan planUserChanges(const Snapshot& changed, const CurrentState& affected, const PlanOptions& options,
                     const std::function<std::string()>& newId) {
    Plan plan;
    std::vector<std::uint32_t> userSlot;
    planUsers(changed, affected, CurrentIndex(affected), nullptr, nullptr, options, newId, plan, userSlot, false);
    for (const auto& g : affected.groups) plan.groupIds.push_back(g.id);
    return plan;
}

}  // namespace rosterd::sync
