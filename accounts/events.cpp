#include "accounts/events.h"

#include "webhooks/event_types.h"

namespace rosterd::accounts::events {
namespace {

namespace et = webhooks::event_types;

nlohmann::json orNull(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

webhooks::NewEvent make(std::string_view type, nlohmann::json data) { return {std::string(type), std::move(data)}; }

nlohmann::json withChanged(nlohmann::json data, const std::vector<std::string>& changed) {
    data["changed"] = changed;
    return data;
}

}  // namespace

nlohmann::json userData(const User& u) {
    nlohmann::json j = userJson(u);
    j["username"] = orNull(u.username);
    j["dn"] = orNull(u.externalDn);
    j["external_id"] = orNull(u.externalId);
    return j;
}

void refillUserData(nlohmann::json& data, const User& u) {
    data["id"] = u.id;
    data["name"] = u.name;
    data["email"] = u.email;
    data["role"] = roleName(u.role);
    data["profile_image_url"] = profileImageOf(u);  // as userJson: the default picture when none is set
    data["source"] = sourceName(u.source);
    data["active"] = u.active;
    data["is_primary_admin"] = u.isPrimary;
    data["info"] = u.info;
    data["created_at"] = u.createdAt;
    data["updated_at"] = u.updatedAt;
    data["last_active_at"] = u.lastActiveAt;
    data["username"] = orNull(u.username);
    data["dn"] = orNull(u.externalDn);
    data["external_id"] = orNull(u.externalId);
}

nlohmann::json groupData(const Group& g) {
    nlohmann::json j = groupJson(g);
    j["external_id"] = orNull(g.externalId);
    j["dn"] = orNull(g.externalDn);
    return j;
}

std::vector<std::string> changedUserFields(const User& before, const User& after) {
    std::vector<std::string> changed;
    auto note = [&](bool differs, const char* field) {
        if (differs) changed.emplace_back(field);
    };
    note(before.name != after.name, "name");
    note(before.email != after.email, "email");
    note(before.role != after.role, "role");
    note(before.profileImageUrl != after.profileImageUrl, "profile_image_url");
    note(before.source != after.source, "source");
    note(before.active != after.active, "active");
    note(before.isPrimary != after.isPrimary, "is_primary_admin");
    note(before.username != after.username, "username");
    note(before.externalDn != after.externalDn, "dn");
    note(before.externalId != after.externalId, "external_id");
    return changed;
}

webhooks::NewEvent userSignup(const User& u) { return make(et::kUserSignup, userData(u)); }
webhooks::NewEvent userCreated(const User& u) { return make(et::kUserCreated, userData(u)); }
webhooks::NewEvent userUpdated(const User& u, const std::vector<std::string>& changed) {
    return make(et::kUserUpdated, withChanged(userData(u), changed));
}
webhooks::NewEvent userRoleChanged(const User& u, Role oldRole, const std::string& reason) {
    return make(
        et::kUserRoleChanged,
        {{"user", userData(u)}, {"old_role", roleName(oldRole)}, {"new_role", roleName(u.role)}, {"reason", reason}});
}
webhooks::NewEvent userDeactivated(const User& u, const std::string& reason) {
    auto data = userData(u);
    if (!reason.empty()) data["reason"] = reason;  // why the directory took the account away, when it did
    return make(et::kUserDeactivated, std::move(data));
}
webhooks::NewEvent userDeleted(const User& u) { return make(et::kUserDeleted, userData(u)); }

webhooks::NewEvent groupCreated(const Group& g) { return make(et::kGroupCreated, groupData(g)); }
webhooks::NewEvent groupUpdated(const Group& g, const std::vector<std::string>& changed) {
    return make(et::kGroupUpdated, withChanged(groupData(g), changed));
}
webhooks::NewEvent groupDeleted(const Group& g) { return make(et::kGroupDeleted, groupData(g)); }
webhooks::NewEvent groupDeactivated(const Group& g) { return make(et::kGroupDeactivated, groupData(g)); }
webhooks::NewEvent groupReactivated(const Group& g, const std::vector<std::string>& changed) {
    return make(et::kGroupReactivated, withChanged(groupData(g), changed));
}
webhooks::NewEvent groupMembersChanged(const Group& g, const std::vector<std::string>& added,
                                       const std::vector<std::string>& removed) {
    return make(et::kGroupMembersChanged, {{"group", groupData(g)}, {"added", added}, {"removed", removed}});
}

}  // namespace rosterd::accounts::events
