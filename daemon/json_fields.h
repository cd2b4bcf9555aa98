#pragma once
// Reading typed fields from request bodies with 400s that name the field.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/errors.h"

namespace rosterd::daemon {

/// A required string field.
inline std::string requireString(const nlohmann::json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) throw InvalidInput(std::string("field '") + field + "' is required");
    if (!it->is_string()) throw InvalidInput(std::string("field '") + field + "' must be a string");
    return it->get<std::string>();
}

/// An optional string field (absent or null -> nullopt).
inline std::optional<std::string> optionalString(const nlohmann::json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw InvalidInput(std::string("field '") + field + "' must be a string");
    return it->get<std::string>();
}

/// An optional boolean field.
inline bool optionalBool(const nlohmann::json& body, const char* field, bool def) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return def;
    if (!it->is_boolean()) throw InvalidInput(std::string("field '") + field + "' must be true or false");
    return it->get<bool>();
}

}  // namespace rosterd::daemon
