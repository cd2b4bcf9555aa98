#pragma once
// Permissions follow Open WebUI's permission tree: five sections (workspace, sharing, chat,
// features, ui), each an object of named booleans; nothing else is accepted. A user's effective
// permissions start from the whole default tree (Open WebUI's defaults, overlaid by [permissions]
// and then by the defaults set through the API) and add every group's grants: true in any source
// wins. Admins hold them all. The shape is fixed and two levels deep, so no walk over it recurses.
#include <nlohmann/json.hpp>
#include <string>

#include "accounts/role.h"
#include "db/store.h"

namespace rosterd::accounts {

/// The whole tree with Open WebUI's default values (its config.py DEFAULT_USER_PERMISSIONS and the
/// UserPermissions models of routers/users.py).
const nlohmann::json& builtinPermissions();
/// Throws InvalidInput naming the path (e.g. "chat.delete") unless `p` is an object whose keys are
/// known sections, each an object of known permissions set to true or false. Keys may be missing.
void validatePermissions(const nlohmann::json& p);
/// The part of `p` that fits the shape (unknown keys and non-boolean values dropped). When
/// something was dropped, `dropped` (if given) names the first path dropped.
nlohmann::json shapePermissions(const nlohmann::json& p, std::string* dropped = nullptr);
/// Permissions stored as JSON text (a group's column, the stored defaults), read leniently: what
/// is out of shape or nested too deep is dropped and logged once per `source`.
nlohmann::json storedPermissions(const std::string& text, const std::string& source);
/// Copies b's booleans over a's (b is shaped first).
void overlayPermissions(nlohmann::json& a, const nlohmann::json& b);
/// Combines b into a: a leaf is true when it is true in either (b is shaped first).
void mergePermissions(nlohmann::json& a, const nlohmann::json& b);
/// Every leaf set to true (what an admin holds).
nlohmann::json grantAll(nlohmann::json p);

class PermissionService {
public:
    /// `configured` comes from the [permissions] section (validated by the configuration).
    explicit PermissionService(nlohmann::json configured) : configured_(std::move(configured)) {}
    /// The whole default tree: built-in defaults, overlaid by the configured ones, then by those
    /// set through the API.
    nlohmann::json defaults(db::Transaction& tx) const;
    /// Stores the defaults set through the API (so every replica sees them); throws InvalidInput
    /// naming the path when `p` is out of shape.
    void setDefaults(db::Transaction& tx, const nlohmann::json& p, std::int64_t now) const;
    /// The effective permissions of a user: the default tree OR every group's grants.
    nlohmann::json effective(db::Transaction& tx, const std::string& userId, Role role) const;

private:
    nlohmann::json configured_;
};

}  // namespace rosterd::accounts
