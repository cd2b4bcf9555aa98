#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/role.h"

namespace rosterd::accounts {

/// A user as stored. Credentials live elsewhere (auths, api_keys) and never appear here.
struct User {
    std::string id;
    std::string name;
    std::string email;  ///< lower-cased
    Role role = Role::Pending;
    std::string profileImageUrl;
    Source source = Source::Local;
    bool active = true;
    bool isPrimary = false;
    nlohmann::json info = nlohmann::json::object();
    nlohmann::json settings = nlohmann::json::object();  ///< the client's settings document (never in events)
    std::optional<std::string> username;                 ///< directory login name (ldap users)
    std::optional<std::string> externalId;               ///< directory stable id (entryUUID / objectGUID)
    std::optional<std::string> externalDn;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::int64_t lastActiveAt = 0;
    std::optional<std::int64_t> deactivatedAt;
    // Sign-in policy state (migration 0601); read with the row, written by its own statements.
    std::optional<std::int64_t> passwordSigninAt;  ///< last sign-in (or signup) with a local password
    bool directoryLinkAllowed = false;             ///< an admin allowed a directory entry to take it over
    std::int64_t sessionGeneration = 0;            ///< tokens issued under an older one are revoked...
    std::optional<std::string> sessionKeepJti;     ///< ...except this one (the session that changed the password)
};

/// Open WebUI's default picture, shown for users without one of their own.
inline constexpr const char* kDefaultProfileImage = "/user.png";
/// The user's picture, or kDefaultProfileImage when they have none.
std::string profileImageOf(const User& u);

/// The full user as admins and events see it (no credentials).
nlohmann::json userJson(const User& u);
/// The public profile others see: id, name, profile_image_url, active.
nlohmann::json publicUserJson(const User& u);

}  // namespace rosterd::accounts
