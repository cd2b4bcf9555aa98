#pragma once
// JSON from outside (request bodies, stored documents) parsed with a nesting limit checked while
// parsing: a document nested deeper than the limit is refused before it is ever built, so no later
// recursive walk (validation, merge, dump) can exhaust the stack or memory.
#include <nlohmann/json.hpp>
#include <string_view>

namespace rosterd {

/// Nesting allowed in request bodies: a top-level object is level 1.
inline constexpr int kMaxJsonDepth = 32;

/// Parses `text`; throws InvalidInput "JSON nested deeper than N levels" when objects/arrays nest
/// deeper than `maxDepth`, or "request body is not valid JSON" when it does not parse.
nlohmann::json parseJson(std::string_view text, int maxDepth = kMaxJsonDepth);

/// A stored document that should be a JSON object (a user's info or settings, a group's data):
/// {} when it does not parse, is not an object, or nests deeper than kMaxJsonDepth (a row written
/// before the limit), so one odd row never fails a read.
nlohmann::json storedObject(std::string_view text);

}  // namespace rosterd
