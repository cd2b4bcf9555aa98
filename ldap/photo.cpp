#include "ldap/photo.h"

#include <spdlog/spdlog.h>

#include "common/encoding.h"
#include "common/log_safe.h"

namespace rosterd::ldap {
namespace {

// The image type by its signature: JPEG's SOI marker, PNG's 8-byte header (its first 4 suffice).
const char* imageTypeOf(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xD8\xFF")) return "jpeg";
    if (bytes.starts_with("\x89PNG")) return "png";
    return nullptr;
}

}  // namespace

PhotoUrl photoDataUrl(std::string_view bytes, std::size_t maxBytes) {
    if (bytes.size() > maxBytes)
        return {"", "the photo is " + std::to_string(bytes.size()) + " bytes, larger than ldap.photo_max_bytes (" +
                        std::to_string(maxBytes) + ")"};
    const char* type = imageTypeOf(bytes);
    if (!type) return {"", "the photo is not a JPEG or PNG image (" + std::to_string(bytes.size()) + " bytes)"};
    return {std::string("data:image/") + type + ";base64," + base64Encode(bytes), ""};
}

std::optional<std::string> entryPhoto(const Entry& e, const LdapConfig& c) {
    if (c.photoAttribute.empty()) return std::nullopt;
    auto bytes = e.first(c.photoAttribute);
    if (!bytes) return std::nullopt;
    PhotoUrl photo = photoDataUrl(*bytes, c.photoMaxBytes);
    if (!photo.refusal.empty()) {
        spdlog::warn("ldap: {} ({}): {}; the stored picture is kept", logSafe(e.dn), c.photoAttribute, photo.refusal);
        return std::nullopt;
    }
    return std::move(photo.url);
}

}  // namespace rosterd::ldap
