#include "sync/role_mapping.h"

#include <absl/container/flat_hash_map.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "accounts/user_store.h"

namespace rosterd::sync {
namespace {

using accounts::DirectoryPolicyConfig;

// What the store holds for a directory user the policy may change (views into the state, the
// plan or StoredUsers, which outlive it).
struct Stored {
    std::string_view id;
    std::string_view role;
    bool primary = false;
    bool active = true;
    std::string_view refusal;  ///< recorded reason, empty when none
};

// The users the policy decides for, by stable id: the store's directory users, from the state
// loaded alongside the directory read (a second read of every account cost more than the policy
// itself); the local accounts this plan links, which start as the store holds them; and the users
// it creates, which start as the plan leaves them.
class StoredUsers {
public:
    StoredUsers(db::Transaction& tx, const IndexedState& current, const Plan& plan, std::string_view newRole)
        : current_(current) {
        std::vector<std::string> ids;
        absl::flat_hash_map<std::string_view, std::string_view> externalIdOf;
        for (const auto& w : plan.userLinks) {
            ids.push_back(w.id);
            externalIdOf.emplace(w.id, w.user.id);
        }
        linked_ = accounts::user_store::policyStates(tx, ids);
        for (const auto& s : linked_)
            linkedById_[externalIdOf[s.id]] = Stored{s.id, accounts::roleName(s.role), s.isPrimary, s.active, ""};
        for (const auto& w : plan.userCreates) created_.try_emplace(w.user.id, Stored{w.id, newRole, false, true, ""});
    }

    const Stored* find(std::string_view externalId) {
        if (auto l = linkedById_.find(externalId); l != linkedById_.end()) return &l->second;
        const auto& index = current_.index->byExternalId;
        if (auto c = index.find(externalId); c != index.end()) {
            const CurrentUser& u = current_.state.users[c->second];
            const auto& refusals = current_.state.accessRefusals;
            auto r = refusals.find(u.id);
            scratch_ = Stored{u.id, accounts::roleName(u.role), u.isPrimary, u.active,
                              r == refusals.end() ? std::string_view() : std::string_view(r->second)};
            return &scratch_;
        }
        auto n = created_.find(externalId);
        return n == created_.end() ? nullptr : &n->second;
    }

private:
    const IndexedState& current_;
    std::vector<accounts::user_store::PolicyState> linked_;  // owns the linked accounts' ids
    absl::flat_hash_map<std::string_view, Stored> linkedById_;
    absl::flat_hash_map<std::string_view, Stored> created_;
    Stored scratch_;  // the last store user found
};

// Active admins (of any source), the primary first, then the oldest.
std::vector<std::string> activeAdmins(db::Transaction& tx) {
    std::vector<std::string> out;
    for (const auto& a : accounts::user_store::activeAdmins(tx)) out.push_back(a.id);
    return out;
}

// Keeps one admin when the plan would leave none active: its demotion and refusal are dropped.
void keepLastAdmin(const std::vector<std::string>& admins, Plan& plan) {
    if (admins.empty()) return;
    std::unordered_set<std::string> going;
    for (const auto& r : plan.userDeactivations) going.insert(r.id);
    for (const auto& r : plan.userDeletes) going.insert(r.id);
    for (const auto& d : plan.accessDenials) going.insert(d.id);
    std::unordered_set<std::string> demoted;
    for (const auto& c : plan.roleChanges)
        if (c.to != "admin") demoted.insert(c.id);
    for (const auto& a : admins)
        if (!going.count(a) && !demoted.count(a)) return;
    for (const auto& c : plan.roleChanges)
        if (c.to == "admin" && !going.count(c.id)) return;  // a new admin takes over
    const std::string& keep = admins.front();
    auto note = [&](const std::string& externalId, const std::string& email, const char* what) {
        plan.skipped.push_back(
            {"user", externalId, "", std::string("the last active admin is kept (not ") + what + ")"});
        spdlog::warn("sync: not {} {} ({}): the last active admin is kept", what, email, keep);
    };
    for (auto it = plan.roleChanges.begin(); it != plan.roleChanges.end(); ++it)
        if (it->id == keep) {
            note(it->externalId, it->email, "demoted");
            plan.roleChanges.erase(it);
            break;
        }
    for (auto it = plan.accessDenials.begin(); it != plan.accessDenials.end(); ++it)
        if (it->id == keep) {
            note(it->externalId, it->email, "refused");
            plan.accessDenials.erase(it);
            break;
        }
}

}  // namespace

void planDirectoryPolicy(db::Store& store, const Snapshot& desired, const IndexedState& current,
                         const DirectoryPolicyConfig& policy, Plan& plan) {
    if (!policy.any()) return;
    // Each user's policy groups: only the few groups the keys name are walked, so the cost is
    // their membership, not the directory's.
    absl::flat_hash_map<std::uint32_t, std::vector<std::string>> memberOf;
    const std::vector<std::string> named = policy.groupNames();
    for (const auto& g : desired.groups) {
        if (!accounts::groupNameIn(g.name, named)) continue;
        for (std::uint32_t u : g.members) memberOf[u].push_back(g.name);
    }
    std::optional<StoredUsers> stored;
    std::vector<std::string> admins;
    store.transact(
        [&](db::Transaction& tx) {
            stored.emplace(tx, current, plan, policy.defaultRole);
            admins = activeAdmins(tx);
        },
        db::TxMode::Read);

    std::unordered_set<std::string> refused;  // local ids refused by this plan
    const std::vector<std::string> none;
    for (std::uint32_t di = 0; di < desired.users.size(); ++di) {
        const DirUser& d = desired.users[di];
        const Stored* found = stored->find(d.id);
        if (!found) continue;  // skipped by the plan (e.g. its email is taken)
        const Stored& s = *found;
        auto groups = memberOf.find(di);
        const auto decision = accounts::decideDirectoryPolicy(policy, groups == memberOf.end() ? none : groups->second);
        const bool roleDiffers = decision.role && *decision.role != s.role;
        if (s.primary) {
            if (roleDiffers || decision.refusal)
                plan.skipped.push_back(
                    {"user", d.id, d.dn, "the primary admin is never changed by the directory policy"});
            continue;
        }
        if (roleDiffers)
            plan.roleChanges.push_back(
                {std::string(s.id), d.id, d.email, std::string(s.role), *decision.role, decision.roleReason});
        if (decision.refusal) {
            if (s.active || s.refusal != *decision.refusal) {
                plan.accessDenials.push_back({std::string(s.id), d.id, d.email, *decision.refusal});
                refused.emplace(s.id);
            }
            if (!s.active) refused.emplace(s.id);
        } else if (!s.refusal.empty()) {
            plan.accessRestores.push_back({std::string(s.id), d.id, d.email, ""});
        }
    }
    keepLastAdmin(admins, plan);
    // Refused users stay inactive: their updates change the fields the directory changed, not that.
    if (refused.empty()) return;
    for (const auto& a : plan.accessDenials) refused.insert(a.id);
    auto& updates = plan.userUpdates;
    for (auto& w : updates) {
        if (!refused.count(w.id) || !w.reactivate) continue;
        w.reactivate = false;
        w.changed.erase(std::remove(w.changed.begin(), w.changed.end(), "active"), w.changed.end());
    }
    updates.erase(std::remove_if(updates.begin(), updates.end(), [](const UserWrite& w) { return w.changed.empty(); }),
                  updates.end());
}

std::size_t policyRemovals(const Plan& plan) {
    if (plan.accessDenials.empty() && plan.roleChanges.empty()) return 0;
    // Users this run creates had nothing to lose: refusing them at once takes nothing away.
    std::unordered_set<std::string_view> created;
    if (!plan.userCreates.empty() && !plan.accessDenials.empty()) {
        created.reserve(plan.userCreates.size());
        for (const auto& w : plan.userCreates) created.insert(w.id);
    }
    std::size_t n = 0;
    for (const auto& d : plan.accessDenials)
        if (!created.count(d.id)) ++n;
    for (const auto& c : plan.roleChanges)
        if (accounts::roleRank(c.to) < accounts::roleRank(c.from)) ++n;
    return n;
}

nlohmann::json policyChangesJson(const Plan& plan, std::size_t limit) {
    nlohmann::json roles = nlohmann::json::array(), denied = nlohmann::json::array(), allowed = nlohmann::json::array();
    for (std::size_t i = 0; i < plan.roleChanges.size() && i < limit; ++i) {
        const auto& c = plan.roleChanges[i];
        roles.push_back({{"id", c.id}, {"email", c.email}, {"from", c.from}, {"to", c.to}, {"reason", c.reason}});
    }
    for (std::size_t i = 0; i < plan.accessDenials.size() && i < limit; ++i) {
        const auto& a = plan.accessDenials[i];
        denied.push_back({{"id", a.id}, {"email", a.email}, {"reason", a.reason}});
    }
    for (std::size_t i = 0; i < plan.accessRestores.size() && i < limit; ++i)
        allowed.push_back({{"id", plan.accessRestores[i].id}, {"email", plan.accessRestores[i].email}});
    return {{"roles_changed", roles}, {"users_denied", denied}, {"users_allowed", allowed}};
}

}  // namespace rosterd::sync
