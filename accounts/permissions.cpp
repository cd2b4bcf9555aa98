#include "accounts/permissions.h"

#include "common/errors.h"

namespace rosterd::accounts {

namespace {
void validateAt(const nlohmann::json& p, const std::string& path) {
    if (!p.is_object()) throw InvalidInput("permissions" + path + " must be an object of booleans");
    for (const auto& [k, v] : p.items()) {
        if (v.is_object()) validateAt(v, path + "." + k);
        else if (!v.is_boolean()) throw InvalidInput("permission " + (path + "." + k).substr(1) + " must be true or false");
    }
}
}  // namespace

void validatePermissions(const nlohmann::json& p) { validateAt(p, ""); }

void mergePermissions(nlohmann::json& a, const nlohmann::json& b) {
    if (!b.is_object()) return;
    if (!a.is_object()) a = nlohmann::json::object();
    for (const auto& [k, v] : b.items()) {
        if (v.is_object()) {
            mergePermissions(a[k], v);
        } else if (v.is_boolean()) {
            bool current = a.contains(k) && a[k].is_boolean() && a[k].get<bool>();
            if (!a.contains(k) || a[k].is_boolean()) a[k] = current || v.get<bool>();
        }
    }
}

nlohmann::json grantAll(nlohmann::json p) {
    for (auto& [k, v] : p.items()) {
        if (v.is_object()) v = grantAll(v);
        else v = true;
    }
    return p;
}

nlohmann::json PermissionService::defaults(db::Transaction& tx) const {
    auto rs = tx.exec("SELECT value FROM settings WHERE key = 'default_permissions'");
    if (!rs.empty()) {
        auto j = nlohmann::json::parse(rs.front().str(0), nullptr, false);
        if (j.is_object()) return j;
    }
    return configured_.is_object() ? configured_ : nlohmann::json::object();
}

void PermissionService::setDefaults(db::Transaction& tx, const nlohmann::json& p, std::int64_t now) const {
    validatePermissions(p);
    tx.exec("INSERT INTO settings (key, value, updated_at) VALUES ('default_permissions', $1, $2) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            {p.dump(), now});
}

nlohmann::json PermissionService::effective(db::Transaction& tx, const std::string& userId, const std::string& role) const {
    nlohmann::json result = defaults(tx);
    // A deactivated directory group keeps its permissions for when it comes back, granting none meanwhile.
    auto rs = tx.exec("SELECT g.permissions FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = $1 "
                      "AND g.active = 1",
                      {userId});
    for (auto row : rs) {
        auto p = nlohmann::json::parse(row.str(0), nullptr, false);
        if (p.is_object()) mergePermissions(result, p);
    }
    if (role == "admin") result = grantAll(result);
    return result;
}

}  // namespace rosterd::accounts
