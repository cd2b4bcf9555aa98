#include "sync/plan_json.h"

#include <algorithm>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "accounts/group_store.h"
#include "accounts/user_store.h"
#include "common/encoding.h"

namespace rosterd::sync {
namespace {

using nlohmann::json;

struct StoredUser {
    std::string email, username, name, dn;
};
struct StoredGroup {
    std::string name, dn;
};

// The stored users and groups the plan names by id (those it creates are not stored yet).
class StoredNames {
public:
    StoredNames(db::Store& store, const std::vector<std::string>& userIds, const std::vector<std::string>& groupIds) {
        store.transact(
            [&](db::Transaction& tx) {
                for (auto& u : accounts::user_store::labelsByIds(tx, userIds))
                    users_[u.id] = {std::move(u.email), u.username.value_or(""), std::move(u.name), u.dn.value_or("")};
                for (auto& g : accounts::group_store::labelsByIds(tx, groupIds))
                    groups_[g.id] = {std::move(g.name), g.dn.value_or("")};
            },
            db::TxMode::Read);
    }
    const StoredUser* user(const std::string& id) const {
        auto it = users_.find(id);
        return it == users_.end() ? nullptr : &it->second;
    }
    const StoredGroup* group(const std::string& id) const {
        auto it = groups_.find(id);
        return it == groups_.end() ? nullptr : &it->second;
    }

private:
    std::unordered_map<std::string, StoredUser> users_;
    std::unordered_map<std::string, StoredGroup> groups_;
};

// The ids the plan mentions of users and groups that exist, each once.
struct MentionedIds {
    std::vector<std::string> users, groups;
    std::unordered_set<std::string> seenUsers, seenGroups;
    void user(const std::string& id) {
        if (seenUsers.insert(id).second) users.push_back(id);
    }
    void group(const std::string& id) {
        if (seenGroups.insert(id).second) groups.push_back(id);
    }
};

// The first `n` items of `v`.
template <typename T>
std::span<const T> firstOf(const std::vector<T>& v, std::size_t n) {
    return {v.data(), std::min(v.size(), n)};
}

json dirUserJson(const DirUser& d) {
    return {{"email", d.email}, {"username", d.username}, {"name", d.name}, {"dn", d.dn}, {"external_id", d.id}};
}

class Renderer {
public:
    Renderer(db::Store& store, const Plan& plan, std::size_t perKind) : plan_(plan), perKind_(perKind) {
        for (const auto& w : plan.userCreates) created_.emplace(w.id, &w.user);
        MentionedIds ids;
        for (const auto& w : firstOf(plan.userUpdates, perKind_)) ids.user(w.id);
        for (const auto& w : firstOf(plan.userLinks, perKind_)) ids.user(w.id);
        for (const auto& r : firstOf(plan.userDeactivations, perKind_)) ids.user(r.id);
        for (const auto& r : firstOf(plan.userDeletes, perKind_)) ids.user(r.id);
        for (const auto& c : firstOf(plan.roleChanges, perKind_)) ids.user(c.id);
        for (const auto& a : firstOf(plan.accessDenials, perKind_)) ids.user(a.id);
        for (const auto& a : firstOf(plan.accessRestores, perKind_)) ids.user(a.id);
        for (const auto& w : firstOf(plan.groupUpdates, perKind_)) ids.group(w.id);
        for (const auto& w : firstOf(plan.groupReactivations, perKind_)) ids.group(w.id);
        for (const auto& m : firstOf(plan.memberAdds, perKind_)) {
            ids.group(plan.groupIds[m.first]);
            ids.user(plan.userIds[m.second]);
        }
        for (const auto& m : firstOf(plan.memberRemoves, perKind_)) {
            ids.group(plan.groupIds[m.first]);
            ids.user(plan.userIds[m.second]);
        }
        for (const auto& g : plan.groupCreates) createdGroups_.emplace(g.id, &g);
        stored_ = std::make_unique<StoredNames>(store, ids.users, ids.groups);
    }

    json render() const {
        json out = json::array();
        for (const auto& w : firstOf(plan_.userCreates, perKind_))
            out.push_back({{"kind", "users_created"},
                           {"user", dirUserJson(w.user)},
                           {"reason", "new in the directory (under [ldap] user_base, matching user_filter)"}});
        for (const auto& w : firstOf(plan_.userUpdates, perKind_)) out.push_back(userUpdate(w));
        for (const auto& w : firstOf(plan_.userLinks, perKind_)) {
            json user = dirUserJson(w.user);
            user["id"] = w.id;
            out.push_back({{"kind", "users_linked"},
                           {"user", user},
                           {"reason",
                            "the local account with this email becomes the directory entry's "
                            "([ldap] link_local_accounts = email)"}});
        }
        for (const auto& r : firstOf(plan_.userDeactivations, perKind_))
            out.push_back({{"kind", "users_deactivated"},
                           {"user", storedUser(r.id, r.email)},
                           {"reason", r.reason.empty() ? "no longer in the directory (not under [ldap] user_base or "
                                                         "not matching user_filter)"
                                                       : r.reason}});
        for (const auto& r : firstOf(plan_.userDeletes, perKind_))
            out.push_back({{"kind", "users_deleted"},
                           {"user", storedUser(r.id, r.email)},
                           {"reason", "deactivated for longer than [sync] delete_after"}});
        for (const auto& g : firstOf(plan_.groupCreates, perKind_))
            out.push_back({{"kind", "groups_created"},
                           {"group", {{"name", g.name}, {"dn", g.dn}, {"external_id", g.externalId}}},
                           {"reason", "new in the directory (under [ldap] group_base, matching group_filter)"}});
        for (const auto& g : firstOf(plan_.groupUpdates, perKind_)) out.push_back(groupWrite("groups_updated", g));
        for (const auto& g : firstOf(plan_.groupDeactivations, perKind_))
            out.push_back({{"kind", "groups_deactivated"},
                           {"group", removedGroup(g)},
                           {"reason",
                            "no longer in the directory (not under [ldap] group_base or not matching group_filter); "
                            "kept with its members while deactivated"}});
        for (const auto& g : firstOf(plan_.groupReactivations, perKind_))
            out.push_back(groupWrite("groups_reactivated", g));
        for (const auto& g : firstOf(plan_.groupDeletes, perKind_))
            out.push_back({{"kind", "groups_deleted"},
                           {"group", removedGroup(g)},
                           {"reason", "deactivated for longer than [sync] delete_after"}});
        for (const auto& [g, u] : firstOf(plan_.memberAdds, perKind_))
            out.push_back({{"kind", "members_added"},
                           {"group", groupAt(g)},
                           {"user", userAt(u)},
                           {"reason", "a member of the group in the directory"}});
        for (const auto& [g, u] : firstOf(plan_.memberRemoves, perKind_))
            out.push_back({{"kind", "members_removed"},
                           {"group", groupAt(g)},
                           {"user", userAt(u)},
                           {"reason", "no longer a member of the group in the directory"}});
        for (const auto& c : firstOf(plan_.roleChanges, perKind_))
            out.push_back({{"kind", "roles_changed"},
                           {"user", userById(c.id, c.email)},
                           {"from", c.from},
                           {"to", c.to},
                           {"reason", c.reason}});
        for (const auto& a : firstOf(plan_.accessDenials, perKind_))
            out.push_back({{"kind", "users_denied"}, {"user", userById(a.id, a.email)}, {"reason", a.reason}});
        for (const auto& a : firstOf(plan_.accessRestores, perKind_))
            out.push_back(
                {{"kind", "users_allowed"},
                 {"user", userById(a.id, a.email)},
                 {"reason", "the directory policy ([ldap] allowed_groups, denied_groups) lets them in again"}});
        return out;
    }

private:
    json storedUser(const std::string& id, const std::string& email) const {
        const StoredUser* s = stored_->user(id);
        if (!s) return {{"id", id}, {"email", email}, {"username", nullptr}, {"name", nullptr}, {"dn", nullptr}};
        return {{"id", id}, {"email", s->email}, {"username", s->username}, {"name", s->name}, {"dn", s->dn}};
    }
    // A user by local id: one the plan creates (no id yet), or a stored one.
    json userById(const std::string& id, const std::string& email) const {
        if (auto it = created_.find(id); it != created_.end()) return dirUserJson(*it->second);
        return storedUser(id, email);
    }
    json userAt(std::uint32_t slot) const { return userById(plan_.userIds[slot], ""); }
    json groupAt(std::uint32_t slot) const {
        const std::string& id = plan_.groupIds[slot];
        if (auto it = createdGroups_.find(id); it != createdGroups_.end())
            return {{"name", it->second->name}, {"dn", it->second->dn}};
        const StoredGroup* s = stored_->group(id);
        if (!s) return {{"id", id}, {"name", nullptr}, {"dn", nullptr}};
        return {{"id", id}, {"name", s->name}, {"dn", s->dn}};
    }
    static json removedGroup(const GroupRemoval& g) {
        return {{"id", g.id}, {"name", g.name}, {"dn", g.dn}, {"external_id", g.externalId}};
    }
    json userUpdate(const UserWrite& w) const {
        const StoredUser* s = stored_->user(w.id);
        json changed = json::object();
        // A stored value (null when the row is gone meanwhile) against the directory's.
        auto was = [&](const std::string StoredUser::*field) { return s ? json(s->*field) : json(nullptr); };
        for (const auto& field : w.changed) {
            if (field == "email") changed[field] = {{"from", was(&StoredUser::email)}, {"to", w.user.email}};
            if (field == "username") changed[field] = {{"from", was(&StoredUser::username)}, {"to", w.user.username}};
            if (field == "name") changed[field] = {{"from", was(&StoredUser::name)}, {"to", w.user.name}};
            if (field == "dn") changed[field] = {{"from", was(&StoredUser::dn)}, {"to", w.user.dn}};
            if (field == "active") changed[field] = {{"from", false}, {"to", true}};
        }
        std::string fields;
        for (const auto& f : w.changed) fields += (fields.empty() ? "" : ", ") + f;
        json user = dirUserJson(w.user);
        user["id"] = w.id;
        return {{"kind", "users_updated"},
                {"user", user},
                {"changed", changed},
                {"reason", w.reactivate ? "back in the directory: reactivated (" + fields + ")"
                                        : "the directory entry changed: " + fields}};
    }
    json groupWrite(const char* kind, const GroupWrite& g) const {
        const StoredGroup* s = stored_->group(g.id);
        json changed = json::object();
        for (const auto& field : g.changed) {
            if (field == "name") changed["name"] = {{"from", s ? json(s->name) : json(nullptr)}, {"to", g.name}};
            if (field == "dn") changed["dn"] = {{"from", s ? json(s->dn) : json(nullptr)}, {"to", g.dn}};
            if (field == "active") changed["active"] = {{"from", false}, {"to", true}};
        }
        std::string fields;
        for (const auto& f : g.changed) fields += (fields.empty() ? "" : ", ") + f;
        const bool back = std::string(kind) == "groups_reactivated";
        return {{"kind", kind},
                {"group", {{"id", g.id}, {"name", g.name}, {"dn", g.dn}, {"external_id", g.externalId}}},
                {"changed", changed},
                {"reason", back ? "back in the directory under the same stable id (" + fields + ")"
                                : "the directory entry changed: " + fields}};
    }

    const Plan& plan_;
    const std::size_t perKind_;
    std::unordered_map<std::string, const DirUser*> created_;
    std::unordered_map<std::string, const GroupWrite*> createdGroups_;
    std::unique_ptr<StoredNames> stored_;
};

}  // namespace

nlohmann::json planChangesJson(db::Store& store, const Plan& plan, std::size_t perKind) {
    return Renderer(store, plan, perKind).render();
}

std::string planFingerprint(const nlohmann::json& changes) {
    std::vector<std::string> lines;
    lines.reserve(changes.size());
    for (const auto& c : changes) lines.push_back(c.dump());
    std::sort(lines.begin(), lines.end());
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    return hexEncode(sha256(all));
}

}  // namespace rosterd::sync
