// A directory photo becomes a data: URL only for a JPEG or PNG within ldap.photo_max_bytes, and
// that URL passes the profile_image_url check at the largest size the config allows.
#include "ldap/photo.h"

#include <catch2/catch.hpp>

#include "accounts/validation.h"

namespace {

const std::string kJpegBytes("\xFF\xD8\xFF\xE0JFIF", 8);
const std::string kPngBytes("\x89PNG\r\n\x1a\n", 8);

}  // namespace

TEST_CASE("photo: JPEG and PNG by their first bytes, as base64 data: URLs") {
    auto jpeg = rosterd::ldap::photoDataUrl(kJpegBytes, 100);
    CHECK(jpeg.refusal.empty());
    CHECK(jpeg.url == "data:image/jpeg;base64,/9j/4EpGSUY=");
    auto png = rosterd::ldap::photoDataUrl(kPngBytes, 100);
    CHECK(png.refusal.empty());
    CHECK(png.url == "data:image/png;base64,iVBORw0KGgo=");
}

TEST_CASE("photo: anything but JPEG or PNG is refused") {
    for (const std::string& bytes : {std::string("GIF89a\x01\x00", 8), std::string("hello"), std::string(),
                                     std::string("\xFF\xD8", 2), std::string("\x89PN", 3)}) {
        INFO(bytes.size());
        auto r = rosterd::ldap::photoDataUrl(bytes, 100);
        CHECK(r.url.empty());
        CHECK(r.refusal.find("not a JPEG or PNG") != std::string::npos);
    }
}

TEST_CASE("photo: at most maxBytes; a larger one is refused naming both sizes") {
    std::string photo = kJpegBytes + std::string(92, 'x');  // 100 bytes
    CHECK(rosterd::ldap::photoDataUrl(photo, 100).refusal.empty());
    auto r = rosterd::ldap::photoDataUrl(photo + "x", 100);
    CHECK(r.url.empty());
    CHECK(r.refusal == "the photo is 101 bytes, larger than ldap.photo_max_bytes (100)");
}

TEST_CASE("photo: the data: URL size bound matches what profile_image_url accepts") {
    // The largest photo_max_bytes the config takes (see daemon/config_ldap.cpp).
    const std::size_t largest = (rosterd::accounts::kMaxImageDataBytes - rosterd::ldap::kPhotoUrlHeaderBytes) / 4 * 3;
    std::string photo = kJpegBytes + std::string(largest - kJpegBytes.size(), '\x7f');
    auto r = rosterd::ldap::photoDataUrl(photo, largest);
    REQUIRE(r.refusal.empty());
    CHECK(r.url.size() == rosterd::ldap::photoDataUrlBytes(largest));
    CHECK(r.url.size() <= rosterd::accounts::kMaxImageDataBytes);
    CHECK_NOTHROW(rosterd::accounts::validateProfileImageUrl(r.url));
    CHECK(rosterd::ldap::photoDataUrlBytes(largest + 3) > rosterd::accounts::kMaxImageDataBytes);
}

TEST_CASE("photo: an entry's photo under photo_attribute, case-insensitively; none when off or absent") {
    rosterd::ldap::LdapConfig c;
    rosterd::ldap::Entry e{"uid=ann,ou=people,dc=example,dc=com", {{"jpegphoto", {kPngBytes}}}};
    CHECK_FALSE(rosterd::ldap::entryPhoto(e, c));  // photo_attribute empty: off
    c.photoAttribute = "jpegPhoto";
    CHECK(rosterd::ldap::entryPhoto(e, c) == "data:image/png;base64,iVBORw0KGgo=");
    c.photoMaxBytes = 7;
    CHECK_FALSE(rosterd::ldap::entryPhoto(e, c));  // too large: logged, the stored picture stays
    c.photoAttribute = "thumbnailPhoto";
    CHECK_FALSE(rosterd::ldap::entryPhoto(e, c));
}
