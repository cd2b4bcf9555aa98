#pragma once
#include <string>

namespace rosterd::accounts {

/// Trims and lower-cases an email; throws InvalidInput when it is not a plausible address.
std::string normalizeEmail(const std::string& email);
/// Throws InvalidInput unless the password meets the policy (length, bcrypt's 72-byte limit).
void validatePassword(const std::string& password, std::size_t minLength);
/// Trims a display name; throws InvalidInput when empty or too long.
std::string normalizeName(const std::string& name);
/// Throws InvalidInput unless role is pending, user or admin.
void validateRole(const std::string& role);

}  // namespace rosterd::accounts
