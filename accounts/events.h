#pragma once
// One builder per event type about users and groups: an event of a type has the same shape
// whichever door produced it (the API, directory sync, CSV import, a directory sign-in). The
// shapes are documented in docs/webhooks.md ("Event data"), and a test holds every door to them.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "accounts/group.h"
#include "accounts/role.h"
#include "accounts/user.h"
#include "webhooks/outbox.h"

namespace rosterd::accounts::events {

/// The user object of every user event: userJson's fields, with username, dn and external_id
/// always present (null for a local account).
nlohmann::json userData(const User& u);
/// Overwrites the fields of `data` (a document userData made) with `u`'s: a bulk writer reuses
/// one document for a whole batch rather than building one per event.
void refillUserData(nlohmann::json& data, const User& u);
/// The group object of every group event: groupJson's fields, with external_id and dn always
/// present (null for a local group).
nlohmann::json groupData(const Group& g);

/// The user fields (as userData names them) whose values differ between `before` and `after`.
std::vector<std::string> changedUserFields(const User& before, const User& after);

/// user.signup: a self-service signup or a directory user's first sign-in.
webhooks::NewEvent userSignup(const User& u);
/// user.created: an admin, an import, sync or the initial admin created the account.
webhooks::NewEvent userCreated(const User& u);
/// user.updated: the user after the change, and `changed` (userData field names).
webhooks::NewEvent userUpdated(const User& u, const std::vector<std::string>& changed);
/// user.role_changed: {"user", "old_role", "new_role", "reason"} (who or what rule changed it).
webhooks::NewEvent userRoleChanged(const User& u, Role oldRole, const std::string& reason);
/// user.deactivated: the user after the change.
webhooks::NewEvent userDeactivated(const User& u, const std::string& reason = {});
/// user.deleted: the user as it was.
webhooks::NewEvent userDeleted(const User& u);

/// group.created: the group.
webhooks::NewEvent groupCreated(const Group& g);
/// group.updated: the group after the change, and `changed` (groupData field names).
webhooks::NewEvent groupUpdated(const Group& g, const std::vector<std::string>& changed);
/// group.deleted: the group as it was.
webhooks::NewEvent groupDeleted(const Group& g);
/// group.deactivated: the group after the change (a directory group that left the directory).
webhooks::NewEvent groupDeactivated(const Group& g);
/// group.reactivated: the group after the change, and `changed` (which includes "active").
webhooks::NewEvent groupReactivated(const Group& g, const std::vector<std::string>& changed);
/// group.members_changed: {"group" (after the change), "added", "removed"} (user ids).
webhooks::NewEvent groupMembersChanged(const Group& g, const std::vector<std::string>& added,
                                       const std::vector<std::string>& removed);

}  // namespace rosterd::accounts::events
