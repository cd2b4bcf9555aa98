// [ldap] photo_attribute follows server_type (thumbnailPhoto on AD, jpegPhoto on OpenLDAP, off
// otherwise); photo_max_bytes is bounded by what a profile_image_url data: URL may hold.
#include <catch2/catch.hpp>

#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/config_reader.h"

namespace {

rosterd::ldap::LdapConfig photoConfigOf(const std::string& serverType, std::map<std::string, std::string> keys = {}) {
    rosterd::daemon::ConfigReader r;
    if (!serverType.empty()) r.set("ldap", "server_type", serverType);
    for (const auto& [k, v] : keys) r.set("ldap", k, v);
    rosterd::ldap::LdapConfig c;
    rosterd::daemon::readLdap(r, c);
    return c;
}

}  // namespace

TEST_CASE("photo_attribute: the server_type default, and the key over it") {
    CHECK(photoConfigOf("").photoAttribute.empty());
    CHECK(photoConfigOf("generic").photoAttribute.empty());
    CHECK(photoConfigOf("openldap").photoAttribute == "jpegPhoto");
    CHECK(photoConfigOf("active_directory").photoAttribute == "thumbnailPhoto");
    CHECK(photoConfigOf("generic", {{"photo_attribute", "jpegPhoto"}}).photoAttribute == "jpegPhoto");
    CHECK(photoConfigOf("active_directory", {{"photo_attribute", ""}}).photoAttribute.empty());
    CHECK(photoConfigOf("").photoMaxBytes == 102'400);
}

TEST_CASE("photo_max_bytes: 1 up to the largest photo whose data: URL profile_image_url takes") {
    CHECK(photoConfigOf("", {{"photo_max_bytes", "1"}}).photoMaxBytes == 1);
    CHECK(photoConfigOf("", {{"photo_max_bytes", "196590"}}).photoMaxBytes == 196'590);
    for (const char* bad : {"0", "-1", "1048577", "lots"}) {
        INFO(bad);
        CHECK_THROWS_AS(photoConfigOf("", {{"photo_max_bytes", bad}}), rosterd::ConfigError);
    }
    try {
        photoConfigOf("", {{"photo_max_bytes", "196593"}});
        FAIL("a photo_max_bytes above what profile_image_url holds was taken");
    } catch (const rosterd::ConfigError& e) {
        CHECK(std::string(e.what()).find("ldap.photo_max_bytes") != std::string::npos);
        CHECK(std::string(e.what()).find("at most 196590") != std::string::npos);
    }
}
