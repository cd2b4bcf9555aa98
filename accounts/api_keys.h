#pragma once
// API keys ("sk-..."): shown once, stored only as a SHA-256 hash and a masked form for display.
#include <optional>
#include <string>

#include "db/store.h"

namespace rosterd::accounts::api_keys {

/// Creates (or replaces) the user's key; returns the plain key.
std::string create(db::Transaction& tx, const std::string& userId, std::int64_t now);
bool exists(db::Transaction& tx, const std::string& userId);
/// The masked form of the user's key ("sk-" + its first and last four characters), nullopt when
/// the user has none; keys made before masked forms were kept show as "sk-...".
std::optional<std::string> display(db::Transaction& tx, const std::string& userId);
/// The masked form of a plain key.
std::string mask(const std::string& plainKey);
bool remove(db::Transaction& tx, const std::string& userId);
/// The user id owning a plain key, if any.
std::optional<std::string> ownerOf(db::Transaction& tx, const std::string& plainKey);
/// Whether a bearer credential looks like an API key rather than a JWT.
bool looksLikeKey(const std::string& credential);

}  // namespace rosterd::accounts::api_keys
