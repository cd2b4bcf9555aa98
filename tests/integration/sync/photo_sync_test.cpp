// Directory photos ([ldap] photo_attribute) synchronised into profile_image_url against a real
// slapd, on both store drivers: the exact data: URL, a change as a normal user update, and photos
// that are too large or not images skipped with a log line while the stored picture stays.
#include <catch2/catch.hpp>

#include "support/log_capture.h"
#include "support/photo_bytes.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "sync_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::string deletePhotoLdif(const std::string& uid) {
    return "dn: " + userDn(uid) + "\nchangetype: modify\ndelete: jpegPhoto\n-\n";
}

// Runs a sync that must succeed; returns its record.
nlohmann::json photoRun(SyncEnv& env) {
    auto r = env.run();
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(r.json()["status"] == "succeeded");
    return r.json();
}

std::string imageOf(SyncEnv& env, const std::string& uid) {
    return env.text("SELECT profile_image_url FROM users WHERE username = $1", {uid});
}

}  // namespace

TEST_CASE("ldap sync photo: jpegPhoto becomes the exact data URL, a changed photo updates the user") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})}, {{"ldap.photo_attribute", "jpegPhoto"}});
    const std::string first = jpegOf(300);
    env.ldap.modify(setPhotoLdif(userDn("ann"), first));

    auto created = photoRun(env);
    CHECK(created["counts"]["users_created"] == 4);
    CHECK(imageOf(env, "ann") == dataUrlOf("jpeg", first));
    CHECK(imageOf(env, "bob").empty());  // no photo: the default picture
    auto signups = env.events("user.created");
    auto annCreated = std::find_if(signups.begin(), signups.end(), [](auto& e) { return e["username"] == "ann"; });
    REQUIRE(annCreated != signups.end());
    CHECK((*annCreated)["profile_image_url"] == dataUrlOf("jpeg", first));

    std::int64_t events = env.outbox();
    CHECK(photoRun(env)["counts"]["users_updated"] == 0);  // the same photo is no change
    CHECK(env.outbox() == events);

    const std::string second = pngOf(200);
    env.ldap.modify(setPhotoLdif(userDn("ann"), second));
    auto changed = photoRun(env);
    CHECK(changed["counts"]["users_updated"] == 1);
    CHECK(imageOf(env, "ann") == dataUrlOf("png", second));
    auto updates = env.events("user.updated");
    REQUIRE(updates.size() == 1);
    CHECK(updates[0]["username"] == "ann");
    CHECK(updates[0]["changed"] == nlohmann::json::array({"profile_image_url"}));
    CHECK(updates[0]["profile_image_url"] == dataUrlOf("png", second));

    // A photo taken away in the directory leaves the stored picture as it is.
    env.ldap.modify(deletePhotoLdif("ann"));
    CHECK(photoRun(env)["counts"]["users_updated"] == 0);
    CHECK(imageOf(env, "ann") == dataUrlOf("png", second));
}

TEST_CASE("ldap sync photo: a photo over photo_max_bytes and one that is no image are skipped and logged") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})},
                {{"ldap.photo_attribute", "jpegPhoto"}, {"ldap.photo_max_bytes", "64"}});
    const std::string small = jpegOf(60);  // 64 bytes: the bound itself
    env.ldap.modify(setPhotoLdif(userDn("ann"), small));
    env.ldap.modify(setPhotoLdif(userDn("bob"), gifOf(20)));
    std::string log;
    {
        LogCapture capture;
        photoRun(env);
        log = capture.text();
    }
    CHECK(imageOf(env, "ann") == dataUrlOf("jpeg", small));
    CHECK(imageOf(env, "bob").empty());
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 4);  // bob is created all the same
    CHECK(log.find(userDn("bob") + " (jpegPhoto): the photo is not a JPEG or PNG image (26 bytes)") !=
          std::string::npos);

    env.ldap.modify(setPhotoLdif(userDn("ann"), jpegOf(61)));  // 65 bytes
    env.ldap.replace(userDn("ann"), "cn", {"Annabel"});
    {
        LogCapture capture;
        auto r = photoRun(env);
        CHECK(r["counts"]["users_updated"] == 1);  // the name; the photo is skipped
        log = capture.text();
    }
    CHECK(env.text("SELECT name FROM users WHERE username = 'ann'") == "Annabel");
    CHECK(imageOf(env, "ann") == dataUrlOf("jpeg", small));
    CHECK(log.find(userDn("ann") + " (jpegPhoto): the photo is 65 bytes, larger than ldap.photo_max_bytes (64)") !=
          std::string::npos);
}

TEST_CASE("ldap sync photo: an incremental run takes a changed photo") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})},
                {{"ldap.photo_attribute", "jpegPhoto"}, {"sync.mode", "incremental"}});
    REQUIRE(photoRun(env)["mode"] == "full");  // no cookie yet
    const std::string photo = jpegOf(100, 'i');
    env.ldap.modify(setPhotoLdif(userDn("cid"), photo));
    auto r = photoRun(env);
    CHECK(r["mode"] == "incremental");
    CHECK(r["counts"]["users_updated"] == 1);
    CHECK(imageOf(env, "cid") == dataUrlOf("jpeg", photo));
}
