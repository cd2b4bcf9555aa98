#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/role.h"

namespace rosterd::accounts {

/// A group of users; its permissions are inherited by its members.
struct Group {
    std::string id;
    std::string name;
    std::string description;
    nlohmann::json permissions = nlohmann::json::object();
    nlohmann::json data = nlohmann::json::object();
    nlohmann::json meta = nlohmann::json::object();  ///< Open WebUI's client-kept object (size-limited)
    std::optional<std::string> userId;               ///< the admin who created it; none for directory groups
    Source source = Source::Local;                   ///< Ldap: owned by the directory
    std::optional<std::string> externalId;
    std::optional<std::string> externalDn;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::vector<std::string> userIds;
    /// false: a directory group gone from the directory, kept for [sync] delete_after with its
    /// description, permissions and members; it grants no permissions meanwhile.
    bool active = true;
    std::optional<std::int64_t> deactivatedAt;
};

nlohmann::json groupJson(const Group& g);

/// Fields of an update; absent ones stay.
struct GroupChanges {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<nlohmann::json> permissions;
    std::optional<nlohmann::json> data;
    std::optional<nlohmann::json> meta;
    std::optional<std::vector<std::string>> userIds;  ///< replaces the member list
};

}  // namespace rosterd::accounts
