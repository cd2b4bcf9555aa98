// A Samba AD user's thumbnailPhoto as the rosterd user's picture, with server_type =
// active_directory's default photo_attribute: taken by sync, and a changed one by a sign-in.
#include "ad_env.h"
#include "common/encoding.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

// LDIF setting the thumbnailPhoto of `dn` to `bytes` (base64 in LDIF: the value is binary).
std::string thumbnailLdif(const std::string& dn, const std::string& bytes) {
    return "dn: " + dn + "\nchangetype: modify\nreplace: thumbnailPhoto\nthumbnailPhoto:: " + base64Encode(bytes) +
           "\n-\n";
}

}  // namespace

TEST_CASE("ad photo: thumbnailPhoto becomes profile_image_url by sync and by sign-in") {
    AdEnv env(GENERATE(allDrivers()));
    const std::string pia = env.name("pia");
    const std::string dn = env.addUser(pia);
    const std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(500, 'a');
    env.ad.modify(thumbnailLdif(dn, jpeg));

    auto run = env.sync();
    CHECK(run["counts"]["users_created"] == 1);
    CHECK(env.text("SELECT profile_image_url FROM users WHERE username = $1", {pia}) ==
          "data:image/jpeg;base64," + base64Encode(jpeg));

    const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(300, 'b');
    env.ad.modify(thumbnailLdif(dn, png));
    auto r = env.login(pia, AdEnv::passwordOf(pia));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["profile_image_url"] == "data:image/png;base64," + base64Encode(png));
    CHECK(env.text("SELECT profile_image_url FROM users WHERE username = $1", {pia}) ==
          "data:image/png;base64," + base64Encode(png));
    auto updates = env.events("user.updated");
    REQUIRE(updates.size() == 1);
    CHECK(updates[0]["changed"] == nlohmann::json::array({"profile_image_url"}));
}
