#pragma once
// A user's picture from a binary directory attribute (thumbnailPhoto, jpegPhoto) as the data: URL
// stored in profile_image_url. Only JPEG and PNG are taken, told apart by their first bytes: the
// directory's value is whatever a client wrote there.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ldap/entry.h"
#include "ldap/ldap_config.h"

namespace rosterd::ldap {

/// The longest data: URL header a photo gets ("data:image/jpeg;base64,").
inline constexpr std::size_t kPhotoUrlHeaderBytes = 23;

/// The size of the data: URL of a `bytes`-byte photo, at most (base64 makes 4 of every 3 bytes).
constexpr std::size_t photoDataUrlBytes(std::size_t bytes) { return kPhotoUrlHeaderBytes + (bytes + 2) / 3 * 4; }

/// A photo value as a data: URL, or why it is refused.
struct PhotoUrl {
    std::string url;      ///< data:image/(jpeg|png);base64,...; empty when refused
    std::string refusal;  ///< empty when taken
};

/// `bytes` as a data: URL when it is a JPEG or PNG of at most `maxBytes` bytes.
PhotoUrl photoDataUrl(std::string_view bytes, std::size_t maxBytes);

/// The picture of entry `e` under config.photoAttribute: nullopt when photos are off, the entry has
/// none, or it is refused (logged, naming the entry and the sizes): the stored picture stays then.
std::optional<std::string> entryPhoto(const Entry& e, const LdapConfig& config);

}  // namespace rosterd::ldap
