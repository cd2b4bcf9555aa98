#pragma once
#include <cstddef>
#include <string>

namespace rosterd {

/// A random version-4 UUID in canonical lower-case text form.
std::string newUuid();
/// A version-7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows created in
/// bulk with these keys land at the right edge of their B-tree indexes instead of all over them.
std::string newTimeOrderedUuid();
/// `n` bytes from OpenSSL's CSPRNG.
std::string randomBytes(std::size_t n);
/// `n` random bytes rendered as URL-safe base64 without padding.
std::string randomToken(std::size_t n);

}  // namespace rosterd
