#pragma once
// Permissions are nested JSON objects of booleans; a user's effective permissions combine the
// defaults with every group they belong to, where true in any source wins. Admins have them all.
#include <nlohmann/json.hpp>
#include <string>

#include "db/store.h"

namespace rosterd::accounts {

/// Throws InvalidInput unless `p` is an object whose leaves are all booleans.
void validatePermissions(const nlohmann::json& p);
/// Combines b into a: a leaf is true when it is true in either.
void mergePermissions(nlohmann::json& a, const nlohmann::json& b);
/// Every leaf set to true (what an admin holds).
nlohmann::json grantAll(nlohmann::json p);

class PermissionService {
public:
    /// `configured` comes from the [permissions] section.
    explicit PermissionService(nlohmann::json configured) : configured_(std::move(configured)) {}
    /// Defaults as set through the API, else as configured.
    nlohmann::json defaults(db::Transaction& tx) const;
    /// Replaces the defaults (stored, so every replica sees them).
    void setDefaults(db::Transaction& tx, const nlohmann::json& p, std::int64_t now) const;
    /// The effective permissions of a user.
    nlohmann::json effective(db::Transaction& tx, const std::string& userId, const std::string& role) const;

private:
    nlohmann::json configured_;
};

}  // namespace rosterd::accounts
