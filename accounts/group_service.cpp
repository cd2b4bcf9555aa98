#include "accounts/group_service.h"

#include <algorithm>

#include "accounts/events.h"
#include "accounts/group_meta.h"
#include "accounts/group_store.h"
#include "accounts/permissions.h"
#include "accounts/user_store.h"
#include "accounts/validation.h"
#include "common/errors.h"
#include "common/random.h"

namespace rosterd::accounts {

nlohmann::json groupJson(const Group& g) {
    return {
        {"id", g.id},
        {"name", g.name},
        {"description", g.description},
        {"permissions", g.permissions},
        {"data", g.data},
        {"meta", g.meta},
        {"user_id", g.userId ? nlohmann::json(*g.userId) : nlohmann::json(nullptr)},
        {"source", sourceName(g.source)},
        {"user_ids", g.userIds},
        {"member_count", g.userIds.size()},
        {"created_at", g.createdAt},
        {"updated_at", g.updatedAt},
        {"active", g.active},
        {"deactivated_at", g.deactivatedAt ? nlohmann::json(*g.deactivatedAt) : nlohmann::json(nullptr)},
    };
}

namespace {
Group requireGroup(db::Transaction& tx, const std::string& id) {
    auto g = group_store::findById(tx, id);
    if (!g) throw NotFound("group " + id + " not found");
    return *g;
}

std::string cleanName(const std::string& raw) {
    auto b = raw.find_first_not_of(" \t");
    if (b == std::string::npos) throw InvalidInput("group name must not be empty");
    auto e = raw.find_last_not_of(" \t");
    std::string n = raw.substr(b, e - b + 1);
    validateText("group name", n, kMaxNameChars);
    return n;
}

void requireKnownUsers(db::Transaction& tx, const std::vector<std::string>& ids) {
    auto unknown = group_store::unknownUsers(tx, ids);
    if (unknown.empty()) return;
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    throw InvalidInput("unknown user ids: " + list + " (nothing was changed)");
}

void refuseDirectoryOwned(const Group& g, const std::string& what) {
    if (g.source == Source::Ldap)
        throw Conflict("group '" + g.name + "' comes from the directory; " + what +
                       " would be undone by the next sync, so change it in the directory");
}
}  // namespace

std::vector<Group> GroupService::list() {
    return store_.transact([](db::Transaction& tx) { return group_store::all(tx); }, db::TxMode::Read);
}

std::vector<Group> GroupService::ofUser(const std::string& userId) {
    return store_.transact(
        [&](db::Transaction& tx) {
            if (!user_store::exists(tx, userId)) throw NotFound("user " + userId + " not found");
            return group_store::ofUser(tx, userId);
        },
        db::TxMode::Read);
}

Group GroupService::get(const std::string& id) {
    return store_.transact([&](db::Transaction& tx) { return requireGroup(tx, id); }, db::TxMode::Read);
}

Group GroupService::create(const std::string& name, const std::string& description, const nlohmann::json& permissions,
                           const nlohmann::json& data, const std::optional<std::string>& creatorId,
                           const nlohmann::json& meta) {
    validatePermissions(permissions);
    checkGroupMeta(meta);
    validateText("description", description, kMaxDescriptionChars, true);
    if (!data.is_object()) throw InvalidInput("data must be a JSON object");
    Group g;
    g.id = newUuid();
    g.name = cleanName(name);
    g.description = description;
    g.permissions = permissions;
    g.data = data;
    g.meta = meta;
    g.userId = creatorId;
    g.createdAt = g.updatedAt = clock_.nowSeconds();
    return store_.transact([&](db::Transaction& tx) {
        if (group_store::findByName(tx, Source::Local, g.name))
            throw InvalidInput("a group named '" + g.name + "' already exists");
        group_store::insert(tx, g);
        outbox_.append(tx, events::groupCreated(g));
        return g;
    });
}

Group GroupService::update(const std::string& id, const GroupChanges& c) {
    if (c.permissions) validatePermissions(*c.permissions);
    if (c.description) validateText("description", *c.description, kMaxDescriptionChars, true);
    if (c.data && !c.data->is_object()) throw InvalidInput("data must be a JSON object");
    if (c.meta) checkGroupMeta(*c.meta);
    return store_.transact([&](db::Transaction& tx) {
        Group g = requireGroup(tx, id);
        Group before = g;
        if (c.name) {
            std::string n = cleanName(*c.name);
            if (n != g.name) {
                refuseDirectoryOwned(g, "renaming it");
                auto other = group_store::findByName(tx, g.source, n);
                if (other && other->id != g.id) throw InvalidInput("a group named '" + n + "' already exists");
                g.name = n;
            }
        }
        if (c.description) g.description = *c.description;
        if (c.permissions) g.permissions = *c.permissions;
        if (c.data) g.data = *c.data;
        if (c.meta) g.meta = *c.meta;
        std::vector<std::string> added, removed;
        if (c.userIds) {
            std::vector<std::string> target = *c.userIds;
            std::sort(target.begin(), target.end());
            target.erase(std::unique(target.begin(), target.end()), target.end());
            std::vector<std::string> current = g.userIds;
            std::sort(current.begin(), current.end());
            if (target != current) {
                refuseDirectoryOwned(g, "changing its members");
                requireKnownUsers(tx, target);
                std::vector<std::string> toAdd, toRemove;
                std::set_difference(target.begin(), target.end(), current.begin(), current.end(),
                                    std::back_inserter(toAdd));
                std::set_difference(current.begin(), current.end(), target.begin(), target.end(),
                                    std::back_inserter(toRemove));
                added = group_store::addMembers(tx, g.id, toAdd, clock_.nowSeconds());
                removed = group_store::removeMembers(tx, g.id, toRemove);
            }
        }
        std::vector<std::string> changed;
        if (g.name != before.name) changed.emplace_back("name");
        if (g.description != before.description) changed.emplace_back("description");
        if (g.permissions != before.permissions) changed.emplace_back("permissions");
        if (g.data != before.data) changed.emplace_back("data");
        if (g.meta != before.meta) changed.emplace_back("meta");
        const bool fieldsChanged = !changed.empty();
        if (fieldsChanged) {
            g.updatedAt = clock_.nowSeconds();
            group_store::update(tx, g);
        }
        Group now = requireGroup(tx, id);
        if (fieldsChanged) outbox_.append(tx, events::groupUpdated(now, changed));
        if (!added.empty() || !removed.empty()) appendMembersChanged(tx, now, added, removed);
        return now;
    });
}

void GroupService::remove(const std::string& id) {
    store_.transact([&](db::Transaction& tx) {
        Group g = requireGroup(tx, id);
        refuseDirectoryOwned(g, "deleting it");
        group_store::remove(tx, id);  // memberships go with it (foreign keys cascade)
        outbox_.append(tx, events::groupDeleted(g));
    });
}

Group GroupService::addMembers(const std::string& id, const std::vector<std::string>& userIds) {
    return store_.transact([&](db::Transaction& tx) {
        Group g = requireGroup(tx, id);
        refuseDirectoryOwned(g, "changing its members");
        requireKnownUsers(tx, userIds);
        auto added = group_store::addMembers(tx, id, userIds, clock_.nowSeconds());
        Group now = requireGroup(tx, id);
        if (!added.empty()) appendMembersChanged(tx, now, added, {});
        return now;
    });
}

Group GroupService::removeMembers(const std::string& id, const std::vector<std::string>& userIds) {
    return store_.transact([&](db::Transaction& tx) {
        Group g = requireGroup(tx, id);
        refuseDirectoryOwned(g, "changing its members");
        requireKnownUsers(tx, userIds);
        auto removed = group_store::removeMembers(tx, id, userIds);
        Group now = requireGroup(tx, id);
        if (!removed.empty()) appendMembersChanged(tx, now, {}, removed);
        return now;
    });
}

void GroupService::appendMembersChanged(db::Transaction& tx, const Group& g, const std::vector<std::string>& added,
                                        const std::vector<std::string>& removed) {
    outbox_.append(tx, events::groupMembersChanged(g, added, removed));
}

}  // namespace rosterd::accounts
