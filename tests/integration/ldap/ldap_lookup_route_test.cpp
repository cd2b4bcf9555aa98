// GET /api/v1/ldap/lookup/{name} over HTTP against a real slapd, on both store drivers: admins
// only, the report `rosterd ldap lookup` prints, 404 for no such user, 503 when slapd is down.
#include <catch2/catch.hpp>

#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::string detailOrEmpty(const HttpResult& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("detail") && j["detail"].is_string() ? j["detail"].get<std::string>() : "";
}

/// The first signup becomes the primary admin; it then adds a plain user. Returns both tokens.
std::pair<std::string, std::string> adminAndUserTokens(const HttpClient& c) {
    auto admin = c.post("/api/v1/auths/signup",
                        {{"name", "Ada Admin"}, {"email", "ada@example.com"}, {"password", "correct horse 1"}});
    REQUIRE(admin.status == 200);
    std::string adminToken = admin.json()["token"];
    auto user =
        c.post("/api/v1/auths/add",
               {{"name", "Uma User"}, {"email", "uma@example.com"}, {"password", "battery staple 2"}, {"role", "user"}},
               adminToken);
    REQUIRE(user.status == 200);
    return {adminToken, user.json()["token"]};
}

}  // namespace

TEST_CASE("ldap lookup route: admins see the entry, groups, role and reasons; others are refused") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"alice", "Alice Liddell", "alice@example.com", "alice-pw"},
                                                    {"bob", "Bob", "", "bob-pw"},
                                                    {"carol", "Carol", "carol@example.com", "carol-pw"}},
                                                   {{"staff", {"alice"}}})});
    slapd.add("dn: " + groupDn("everyone") + "\nobjectClass: groupOfNames\ncn: everyone\nmember: " + groupDn("staff") +
              "\n");
    TestServer server(driver, slapdSettings(slapd));
    auto c = server.client();
    auto [admin, user] = adminAndUserTokens(c);

    CHECK(c.get("/api/v1/ldap/lookup/alice").status == 401);
    auto notAdmin = c.get("/api/v1/ldap/lookup/alice", user);
    CHECK(notAdmin.status == 403);
    CHECK_FALSE(detailOrEmpty(notAdmin).empty());

    auto alice = c.get("/api/v1/ldap/lookup/alice", admin);
    INFO(alice.body);
    REQUIRE(alice.status == 200);
    auto a = alice.json();
    CHECK(a["found"] == true);
    CHECK(a["dn"] == userDn("alice"));
    CHECK(a["fields"]["email"] == "alice@example.com");
    CHECK(a["fields"]["name"] == "Alice Liddell");
    CHECK(a["groups"]["direct"][0]["name"] == "staff");
    CHECK(a["groups"]["nested"][0]["name"] == "everyone");
    CHECK(a["groups"]["nested"][0]["via"] == groupDn("staff"));
    CHECK(a["account"].is_null());
    CHECK(a["role"] == "user");
    CHECK(a["can_sign_in"] == true);
    CHECK(a["reasons"].empty());

    // Once alice signed in, the lookup names her account.
    REQUIRE(c.post("/api/v1/auths/ldap", {{"user", "alice"}, {"password", "alice-pw"}}).status == 200);
    auto signedIn = c.get("/api/v1/ldap/lookup/alice", admin).json();
    REQUIRE(signedIn["account"].is_object());
    CHECK(signedIn["account"]["email"] == "alice@example.com");
    CHECK(signedIn["account"]["source"] == "ldap");

    auto bob = c.get("/api/v1/ldap/lookup/bob", admin);
    INFO(bob.body);
    REQUIRE(bob.status == 200);
    CHECK(bob.json()["can_sign_in"] == false);
    CHECK(bob.json()["reasons"][0].get<std::string>().find("no 'mail' attribute") != std::string::npos);

    auto nobody = c.get("/api/v1/ldap/lookup/nobody", admin);
    INFO(nobody.body);
    CHECK(nobody.status == 404);
    CHECK(detailOrEmpty(nobody).find("no directory user 'nobody'") != std::string::npos);

    // The name is a value in the filter, never filter syntax: "*" would otherwise match everyone.
    auto star = c.get("/api/v1/ldap/lookup/*", admin);
    INFO(star.body);
    CHECK(star.status == 404);
    CHECK(detailOrEmpty(star).find("(uid=\\2A)") != std::string::npos);

    auto tooLong = c.get("/api/v1/ldap/lookup/" + std::string(257, 'a'), admin);
    CHECK(tooLong.status == 400);
    CHECK(detailOrEmpty(tooLong).find("longer than 256 bytes") != std::string::npos);
    CHECK(c.get("/api/v1/ldap/lookup/" + std::string(256, 'a'), admin).status == 404);
    auto control = c.get("/api/v1/ldap/lookup/al%0Aice", admin);
    CHECK(control.status == 400);
    CHECK(detailOrEmpty(control).find("control characters") != std::string::npos);

    slapd.stop();
    auto down = c.get("/api/v1/ldap/lookup/alice", admin);
    INFO(down.body);
    CHECK(down.status == 503);
    CHECK(detailOrEmpty(down).find("directory unreachable") != std::string::npos);
    slapd.start();
    CHECK(c.get("/api/v1/ldap/lookup/alice", admin).status == 200);
}

TEST_CASE("ldap lookup route: with LDAP off, admins are told there is no directory") {
    TestServer server(db::Driver::Sqlite);
    auto c = server.client();
    auto [admin, user] = adminAndUserTokens(c);
    CHECK(c.get("/api/v1/ldap/lookup/alice", user).status == 403);
    auto off = c.get("/api/v1/ldap/lookup/alice", admin);
    CHECK(off.status == 400);
    CHECK(detailOrEmpty(off).find("[ldap] enabled = false") != std::string::npos);
}
