#pragma once
// The one shape of each event type's `data`, as docs/webhooks.md ("Events", "Event data") lists
// it: required keys with their JSON types, which may be null, and nothing undocumented besides.
// Every door's events are held to this table; it is the only place a shape is written down.
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace rosterd::test {

enum class JsonType { String, Integer, Boolean, Object, StringList, User, Group };

struct Field {
    std::string key;
    JsonType type;
    bool nullable = false;
    bool optional = false;             ///< may be absent (user.deactivated's `reason`)
    std::set<std::string> oneOf = {};  ///< the only values a string may take (empty: any)
};

using Shape = std::vector<Field>;

inline const std::set<std::string> kRoles = {"pending", "user", "admin"};
inline const std::set<std::string> kSources = {"local", "ldap"};

/// The user object of every user.* event.
inline const Shape& userShape() {
    static const Shape shape = {
        {"id", JsonType::String},
        {"name", JsonType::String},
        {"email", JsonType::String},
        {"role", JsonType::String, false, false, kRoles},
        {"profile_image_url", JsonType::String},
        {"source", JsonType::String, false, false, kSources},
        {"active", JsonType::Boolean},
        {"is_primary_admin", JsonType::Boolean},
        {"info", JsonType::Object},
        {"created_at", JsonType::Integer},
        {"updated_at", JsonType::Integer},
        {"last_active_at", JsonType::Integer},
        {"username", JsonType::String, true},
        {"dn", JsonType::String, true},
        {"external_id", JsonType::String, true},
    };
    return shape;
}

/// The group object of every group.* event: GET /api/v1/groups/id/{id} with external_id and dn.
inline const Shape& groupShape() {
    static const Shape shape = {
        {"id", JsonType::String},
        {"name", JsonType::String},
        {"description", JsonType::String},
        {"permissions", JsonType::Object},
        {"data", JsonType::Object},
        {"meta", JsonType::Object},
        {"user_id", JsonType::String, true},
        {"source", JsonType::String, false, false, kSources},
        {"user_ids", JsonType::StringList},
        {"member_count", JsonType::Integer},
        {"created_at", JsonType::Integer},
        {"updated_at", JsonType::Integer},
        {"active", JsonType::Boolean},
        {"deactivated_at", JsonType::Integer, true},
        {"external_id", JsonType::String, true},
        {"dn", JsonType::String, true},
    };
    return shape;
}

/// `base` with `more` fields after it.
inline Shape plus(const Shape& base, const Shape& more) {
    Shape s = base;
    s.insert(s.end(), more.begin(), more.end());
    return s;
}

/// The shape of `data` for each event type.
inline const std::map<std::string, Shape>& eventShapes() {
    const Field changed{"changed", JsonType::StringList};
    const Shape runSummary = {
        {"run_id", JsonType::String},  {"trigger", JsonType::String}, {"counts", JsonType::Object},
        {"applied", JsonType::Object}, {"planned", JsonType::Object},
    };
    static const std::map<std::string, Shape> shapes = {
        {"user.signup", userShape()},
        {"user.created", userShape()},
        {"user.updated", plus(userShape(), {changed})},
        {"user.role_changed",
         {{"user", JsonType::User},
          {"old_role", JsonType::String, false, false, kRoles},
          {"new_role", JsonType::String, false, false, kRoles},
          {"reason", JsonType::String}}},
        {"user.deactivated", plus(userShape(), {{"reason", JsonType::String, false, true}})},
        {"user.deleted", userShape()},
        {"group.created", groupShape()},
        {"group.updated", plus(groupShape(), {changed})},
        {"group.deleted", groupShape()},
        {"group.deactivated", groupShape()},
        {"group.reactivated", plus(groupShape(), {changed})},
        {"group.members_changed",
         {{"group", JsonType::Group}, {"added", JsonType::StringList}, {"removed", JsonType::StringList}}},
        {"sync.completed", plus(runSummary, {{"status", JsonType::String, false, false, {"succeeded"}}})},
        {"sync.failed",
         plus(runSummary, {{"status", JsonType::String, false, false, {"failed", "refused", "interrupted"}},
                           {"error", JsonType::String}})},
        {"settings.changed",
         {{"version", JsonType::Integer},
          {"keys", JsonType::StringList},
          {"values", JsonType::Object},
          {"changed_by", JsonType::String}}},
    };
    return shapes;
}

namespace detail {

inline bool hasType(const nlohmann::json& v, JsonType t) {
    switch (t) {
        case JsonType::String:
            return v.is_string();
        case JsonType::Integer:
            return v.is_number_integer();
        case JsonType::Boolean:
            return v.is_boolean();
        case JsonType::Object:
        case JsonType::User:
        case JsonType::Group:
            return v.is_object();
        case JsonType::StringList:
            if (!v.is_array()) return false;
            for (const auto& e : v)
                if (!e.is_string()) return false;
            return true;
    }
    return false;
}

}  // namespace detail

/// What in `data` departs from `shape` (empty when it conforms); `at` names the place in messages.
inline std::vector<std::string> shapeErrors(const Shape& shape, const nlohmann::json& data, const std::string& at) {
    std::vector<std::string> errors;
    if (!data.is_object()) return {at + ": not an object: " + data.dump()};
    std::set<std::string> known;
    for (const auto& f : shape) {
        known.insert(f.key);
        const std::string where = at + "." + f.key;
        if (!data.contains(f.key)) {
            if (!f.optional) errors.push_back(where + ": missing");
            continue;
        }
        const auto& v = data.at(f.key);
        if (v.is_null()) {
            if (!f.nullable) errors.push_back(where + ": null");
            continue;
        }
        if (!detail::hasType(v, f.type)) {
            errors.push_back(where + ": wrong type: " + v.dump());
            continue;
        }
        if (!f.oneOf.empty() && !f.oneOf.count(v.get<std::string>()))
            errors.push_back(where + ": unexpected value " + v.dump());
        std::vector<std::string> nested;
        if (f.type == JsonType::User) nested = shapeErrors(userShape(), v, where);
        if (f.type == JsonType::Group) nested = shapeErrors(groupShape(), v, where);
        errors.insert(errors.end(), nested.begin(), nested.end());
    }
    for (const auto& [key, value] : data.items())
        if (!known.count(key)) errors.push_back(at + "." + key + ": not documented");
    return errors;
}

/// What in an event of `type` departs from its type's shape.
inline std::vector<std::string> eventErrors(const std::string& type, const nlohmann::json& data) {
    auto shape = eventShapes().find(type);
    if (shape == eventShapes().end()) return {type + ": not a documented event type"};
    return shapeErrors(shape->second, data, type);
}

}  // namespace rosterd::test
