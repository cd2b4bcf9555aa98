#pragma once
#include <string>
#include <string_view>

namespace rosterd {

/// Lower-case hexadecimal.
std::string hexEncode(std::string_view bytes);
/// Standard base64 with padding (OpenSSL).
std::string base64Encode(std::string_view bytes);
/// Decodes standard base64; throws std::invalid_argument on malformed input.
std::string base64Decode(std::string_view text);
/// URL-safe base64 without padding.
std::string base64UrlEncode(std::string_view bytes);
/// SHA-256 digest (raw bytes).
std::string sha256(std::string_view data);
/// HMAC-SHA256 (raw bytes).
std::string hmacSha256(std::string_view key, std::string_view data);
/// Compares two strings in time independent of where they differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace rosterd
