#pragma once
#include <cstddef>
#include <string>

#include "accounts/role.h"

namespace rosterd::accounts {

/// Longest display name, group name and similar one-line text, in characters (code points).
inline constexpr std::size_t kMaxNameChars = 255;
/// Longest group description, in characters.
inline constexpr std::size_t kMaxDescriptionChars = 10'000;
/// Longest http(s) profile image URL, in characters.
inline constexpr std::size_t kMaxImageUrlChars = 2048;
/// Largest data: profile image (the whole URL), in bytes.
inline constexpr std::size_t kMaxImageDataBytes = 256 * 1024;

/// Trims and case-folds an email (Unicode-wide, see common/case_fold.h); throws InvalidInput when
/// it is not a plausible address, not UTF-8, or carries control characters.
std::string normalizeEmail(const std::string& email);
/// Throws InvalidInput unless the password meets the policy (length, bcrypt's 72-byte limit).
void validatePassword(const std::string& password, std::size_t minLength);
/// Trims a display name; throws InvalidInput when empty, too long (in characters), not UTF-8 or
/// carrying control characters.
std::string normalizeName(const std::string& name);
/// Throws InvalidInput naming `field` unless `value` is well-formed UTF-8 of at most `maxChars`
/// characters with no control characters (C0, DEL, C1); `multiLine` allows \n and \t.
void validateText(const std::string& field, const std::string& value, std::size_t maxChars, bool multiLine = false);
/// Throws InvalidInput unless `url` is empty (no image), Open WebUI's default `/user.png`, an
/// http(s) URL of at most 2,048 characters, or a base64 `data:image/(png|jpeg|gif|webp)` URL of
/// at most 256 KiB.
void validateProfileImageUrl(const std::string& url);
/// The role `role` names; throws InvalidInput unless it is pending, user or admin.
Role validateRole(const std::string& role);

}  // namespace rosterd::accounts
