// Directory photos ([ldap] photo_attribute) taken at sign-in (POST /api/v1/auths/ldap) against a
// real slapd, on both store drivers: the exact data: URL, a changed photo as a user update, and
// photos that are too large or not images skipped with a warning while the sign-in succeeds and
// the stored picture (or none) stays.
#include <catch2/catch.hpp>

#include "accounts/user.h"
#include "db/store.h"
#include "ldap_test_helpers.h"
#include "support/ldap_settings.h"
#include "support/log_capture.h"
#include "support/photo_bytes.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::vector<DirectoryUser> photoStaff() {
    return {{"ann", "Ann", "ann@example.com", "ann-pw"},
            {"bob", "Bob", "bob@example.com", "bob-pw"},
            {"cid", "Cid", "cid@example.com", "cid-pw"},
            {"dan", "Dan", "dan@example.com", "dan-pw"}};
}

// A sign-in that must succeed; returns its body.
nlohmann::json signIn(const HttpClient& c, const std::string& uid) {
    auto r = ldapLogin(c, uid, uid + "-pw");
    INFO(uid << ": " << r.body);
    REQUIRE(r.status == 200);
    return r.json();
}

std::string storedImage(TestServer& s, const std::string& uid) {
    return s.app().store().transact([&](db::Transaction& tx) {
        auto rows = tx.exec("SELECT profile_image_url FROM users WHERE username = $1", {uid});
        REQUIRE(rows.size() == 1);
        return rows[0].str("profile_image_url");
    });
}

}  // namespace

TEST_CASE("ldap login photo: jpegPhoto becomes the exact data URL at sign-in, a changed one updates the user") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(photoStaff(), {})});
    TestServer s(driver, slapdSettings(slapd, {{"ldap.photo_attribute", "jpegPhoto"}}));
    auto c = s.client();
    const std::string first = jpegOf(300);
    slapd.modify(setPhotoLdif(userDn("ann"), first));

    auto ann = signIn(c, "ann");
    CHECK(ann["profile_image_url"] == dataUrlOf("jpeg", first));
    CHECK(storedImage(s, "ann") == dataUrlOf("jpeg", first));
    auto signups = s.events("user.signup");
    REQUIRE(signups.size() == 1);
    CHECK(signups[0]["profile_image_url"] == dataUrlOf("jpeg", first));

    auto bob = signIn(c, "bob");  // no photo: the default picture
    CHECK(bob["profile_image_url"] == accounts::kDefaultProfileImage);
    CHECK(storedImage(s, "bob").empty());

    // The same photo again is no change.
    signIn(c, "ann");
    CHECK(s.events("user.updated").empty());

    const std::string second = pngOf(200);
    slapd.modify(setPhotoLdif(userDn("ann"), second));
    CHECK(signIn(c, "ann")["profile_image_url"] == dataUrlOf("png", second));
    CHECK(storedImage(s, "ann") == dataUrlOf("png", second));
    auto updates = s.events("user.updated");
    REQUIRE(updates.size() == 1);
    CHECK(updates[0]["changed"] == nlohmann::json::array({"profile_image_url"}));
    CHECK(updates[0]["profile_image_url"] == dataUrlOf("png", second));
}

TEST_CASE("ldap login photo: a photo over photo_max_bytes and one that is no image are skipped and logged") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(photoStaff(), {})});
    TestServer s(driver, slapdSettings(slapd, {{"ldap.photo_attribute", "jpegPhoto"}, {"ldap.photo_max_bytes", "64"}}));
    auto c = s.client();

    // ann and cid first sign in with photos that are taken: a JPEG of the bound itself, a PNG.
    const std::string annPhoto = jpegOf(60);  // 64 bytes
    const std::string cidPhoto = pngOf(40);
    slapd.modify(setPhotoLdif(userDn("ann"), annPhoto));
    slapd.modify(setPhotoLdif(userDn("cid"), cidPhoto));
    CHECK(signIn(c, "ann")["profile_image_url"] == dataUrlOf("jpeg", annPhoto));
    CHECK(signIn(c, "cid")["profile_image_url"] == dataUrlOf("png", cidPhoto));
    REQUIRE(storedImage(s, "ann") == dataUrlOf("jpeg", annPhoto));
    REQUIRE(storedImage(s, "cid") == dataUrlOf("png", cidPhoto));

    // Then too large (ann, dan) and no image (cid, bob): with a picture stored and without one.
    slapd.modify(setPhotoLdif(userDn("ann"), jpegOf(61)));  // 65 bytes
    slapd.modify(setPhotoLdif(userDn("dan"), jpegOf(61)));
    slapd.modify(setPhotoLdif(userDn("cid"), gifOf(20)));  // 26 bytes
    slapd.modify(setPhotoLdif(userDn("bob"), gifOf(20)));
    std::string log;
    {
        LogCapture capture;
        CHECK(signIn(c, "ann")["profile_image_url"] == dataUrlOf("jpeg", annPhoto));
        CHECK(signIn(c, "dan")["profile_image_url"] == accounts::kDefaultProfileImage);
        CHECK(signIn(c, "cid")["profile_image_url"] == dataUrlOf("png", cidPhoto));
        CHECK(signIn(c, "bob")["profile_image_url"] == accounts::kDefaultProfileImage);
        log = capture.text();
    }
    CHECK(storedImage(s, "ann") == dataUrlOf("jpeg", annPhoto));
    CHECK(storedImage(s, "dan").empty());
    CHECK(storedImage(s, "cid") == dataUrlOf("png", cidPhoto));
    CHECK(storedImage(s, "bob").empty());
    CHECK(s.events("user.updated").empty());  // a skipped photo is no change
    CHECK(s.events("user.signup").size() == 4);

    INFO(log);
    const std::string tooLarge =
        " (jpegPhoto): the photo is 65 bytes, larger than ldap.photo_max_bytes (64); "
        "the stored picture is kept";
    const std::string noImage =
        " (jpegPhoto): the photo is not a JPEG or PNG image (26 bytes); the stored picture is kept";
    CHECK(log.find("ldap: " + userDn("ann") + tooLarge) != std::string::npos);
    CHECK(log.find("ldap: " + userDn("dan") + tooLarge) != std::string::npos);
    CHECK(log.find("ldap: " + userDn("cid") + noImage) != std::string::npos);
    CHECK(log.find("ldap: " + userDn("bob") + noImage) != std::string::npos);
}
