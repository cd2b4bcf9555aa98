#pragma once
// Directory photos for the photo tests (sync and sign-in): values that pass or fail the type check
// by their first bytes, the data: URL rosterd makes of one, and the LDIF that sets one.
#include <cstddef>
#include <string>

#include "common/encoding.h"

namespace rosterd::test {

/// A JPEG's first bytes (SOI, APP0) and `fill` filler bytes: enough for the type check.
inline std::string jpegOf(std::size_t fill, char byte = 'j') {
    return std::string("\xFF\xD8\xFF\xE0", 4) + std::string(fill, byte);
}
/// A PNG's signature and `fill` filler bytes.
inline std::string pngOf(std::size_t fill) { return std::string("\x89PNG\r\n\x1a\n", 8) + std::string(fill, 'p'); }
/// A GIF: an image type rosterd does not take.
inline std::string gifOf(std::size_t fill) { return "GIF89a" + std::string(fill, 'g'); }

/// The profile_image_url rosterd makes of `bytes` of image `type` ("jpeg", "png").
inline std::string dataUrlOf(const std::string& type, const std::string& bytes) {
    return "data:image/" + type + ";base64," + base64Encode(bytes);
}

/// LDIF setting the jpegPhoto of the entry `dn` to `bytes` (base64 in LDIF: the value is binary).
inline std::string setPhotoLdif(const std::string& dn, const std::string& bytes) {
    return "dn: " + dn + "\nchangetype: modify\nreplace: jpegPhoto\njpegPhoto:: " + base64Encode(bytes) + "\n-\n";
}

}  // namespace rosterd::test
