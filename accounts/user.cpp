#include "accounts/user.h"

namespace rosterd::accounts {

std::string profileImageOf(const User& u) {
    return u.profileImageUrl.empty() ? kDefaultProfileImage : u.profileImageUrl;
}

nlohmann::json userJson(const User& u) {
    nlohmann::json j = {
        {"id", u.id},
        {"name", u.name},
        {"email", u.email},
        {"role", roleName(u.role)},
        {"profile_image_url", profileImageOf(u)},
        {"source", sourceName(u.source)},
        {"active", u.active},
        {"is_primary_admin", u.isPrimary},
        {"info", u.info},
        {"created_at", u.createdAt},
        {"updated_at", u.updatedAt},
        {"last_active_at", u.lastActiveAt},
    };
    if (u.username) j["username"] = *u.username;
    if (u.externalDn) j["dn"] = *u.externalDn;
    return j;
}

nlohmann::json publicUserJson(const User& u) {
    return {{"id", u.id}, {"name", u.name}, {"profile_image_url", profileImageOf(u)}, {"active", u.active}};
}

}  // namespace rosterd::accounts
