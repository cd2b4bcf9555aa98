#include "accounts/role.h"

#include "common/errors.h"

namespace rosterd::accounts {

std::string_view roleName(Role role) {
    switch (role) {
        case Role::Pending:
            return "pending";
        case Role::User:
            return "user";
        case Role::Admin:
            return "admin";
    }
    return "pending";  // unreachable: every enumerator is handled above
}

std::optional<Role> parseRole(std::string_view name) {
    for (Role r : kAllRoles)
        if (roleName(r) == name) return r;
    return std::nullopt;
}

std::string_view sourceName(Source source) { return source == Source::Ldap ? "ldap" : "local"; }

std::optional<Source> parseSource(std::string_view name) {
    for (Source s : kAllSources)
        if (sourceName(s) == name) return s;
    return std::nullopt;
}

Role roleFromRow(std::string_view name) {
    if (auto r = parseRole(name)) return *r;
    throw DbError("stored role '" + std::string(name.substr(0, 32)) + "' is not pending, user or admin");
}

Source sourceFromRow(std::string_view name) {
    if (auto s = parseSource(name)) return *s;
    throw DbError("stored source '" + std::string(name.substr(0, 32)) + "' is not local or ldap");
}

}  // namespace rosterd::accounts
