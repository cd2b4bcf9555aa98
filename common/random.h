#pragma once
#include <cstddef>
#include <string>

namespace rosterd {

/// A random version-4 UUID in canonical lower-case text form.
std::string newUuid();
/// `n` bytes from OpenSSL's CSPRNG.
std::string randomBytes(std::size_t n);
/// `n` random bytes rendered as URL-safe base64 without padding.
std::string randomToken(std::size_t n);

}  // namespace rosterd
