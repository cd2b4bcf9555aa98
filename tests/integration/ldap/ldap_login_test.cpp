// POST /api/v1/auths/ldap over HTTP against a real slapd, on both store drivers.
#include <catch2/catch.hpp>

#include "../accounts/accounts_fixture.h"
#include "common/errors.h"
#include "daemon/config.h"
#include "db/store.h"
#include "ldap_test_helpers.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::map<std::string, std::string> ldapSettings(const SlapdServer& slapd,
                                                std::map<std::string, std::string> extra = {}) {
    extra.emplace("auth.default_user_role", "user");
    return slapdSettings(slapd, std::move(extra));
}

std::vector<std::string> outboxTypes(TestServer& server) {
    return server.app().store().transact([](db::Transaction& tx) {
        std::vector<std::string> out;
        for (const auto& row : tx.exec("SELECT type FROM outbox ORDER BY seq", {})) out.push_back(row.str("type"));
        return out;
    });
}

std::vector<DirectoryUser> staff() {
    return {{"alice", "Alice Archer", "Alice@Example.COM", "alice-pw"},
            {"bob", "Bob Baker", "bob@example.com", "bob-pw"},
            {"nomail", "No Mail", "", "nomail-pw"},
            {"twin", "Twin One", "twin1@example.com", "twin-pw"}};
}

const char* kGeneric = "The username or password provided is incorrect.";

}  // namespace

TEST_CASE("ldap login: success creates the user and returns a session like signin") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {})});
    TestServer server(driver, ldapSettings(slapd));
    auto c = server.client();

    auto r = ldapLogin(c, "alice", "alice-pw");
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto j = r.json();
    CHECK(j["email"] == "alice@example.com");
    CHECK(j["name"] == "Alice Archer");
    CHECK(j["role"] == "admin");  // first user ever
    CHECK(j["token_type"] == "Bearer");
    CHECK(r.header("set-cookie").find("token=") != std::string::npos);
    std::string token = j["token"];
    auto me = c.get("/api/v1/auths/", token);
    REQUIRE(me.status == 200);
    CHECK(me.json()["id"] == j["id"]);

    auto bob = ldapLogin(c, "bob", "bob-pw");
    REQUIRE(bob.status == 200);
    CHECK(bob.json()["role"] == "user");  // [auth] default_user_role

    // Second login: same user, no second signup event.
    auto again = ldapLogin(c, "alice", "alice-pw");
    REQUIRE(again.status == 200);
    CHECK(again.json()["id"] == j["id"]);
    auto types = outboxTypes(server);
    CHECK(std::count(types.begin(), types.end(), "user.signup") == 2);

    auto row = server.app().store().transact([&](db::Transaction& tx) {
        return tx.exec("SELECT source, external_id, external_dn, username FROM users WHERE id = $1",
                       {j["id"].get<std::string>()});
    });
    REQUIRE(row.size() == 1);
    CHECK(row[0].str("source") == "ldap");
    CHECK(row[0].str("external_id").size() == 36);
    CHECK(row[0].str("username") == "alice");
    CHECK(row[0].str("external_dn") == userDn("alice"));

    // A changed mail in the directory follows on the next login.
    slapd.replace(userDn("alice"), "mail", {"alice.archer@example.com"});
    auto changed = ldapLogin(c, "alice", "alice-pw");
    REQUIRE(changed.status == 200);
    CHECK(changed.json()["email"] == "alice.archer@example.com");
    CHECK(changed.json()["id"] == j["id"]);
}

TEST_CASE("ldap login: every refusal gets the same generic 400") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {})});
    // A second entry with uid=twin elsewhere under the base makes the search ambiguous.
    slapd.add(
        "dn: ou=contractors,ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: contractors\n\n"
        "dn: uid=twin,ou=contractors,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: twin\n"
        "cn: Twin Two\nsn: Two\nmail: twin2@example.com\nuserPassword: twin-pw\n");
    TestServer server(driver, ldapSettings(slapd));
    auto c = server.client();

    SECTION("wrong password") {
        auto r = ldapLogin(c, "alice", "nope");
        CHECK(r.status == 400);
        CHECK(detailOf(r) == kGeneric);
    }
    SECTION("unknown user") {
        auto r = ldapLogin(c, "mallory", "whatever");
        CHECK(r.status == 400);
        CHECK(detailOf(r) == kGeneric);
    }
    SECTION("two entries match") {
        auto r = ldapLogin(c, "twin", "twin-pw");
        CHECK(r.status == 400);
        CHECK(detailOf(r) == kGeneric);
    }
    SECTION("injection attempts never widen the search") {
        for (std::string u : {"*", "*)(uid=*", "admin)(|(objectClass=*", "alice)(uid=*", "al*"}) {
            auto r = ldapLogin(c, u, "alice-pw");
            INFO(u);
            CHECK(r.status == 400);
            CHECK(detailOf(r) == kGeneric);
        }
    }
    auto count =
        server.app().store().transact([](db::Transaction& tx) { return tx.exec("SELECT id FROM users", {}).size(); });
    CHECK(count == 0);
}

TEST_CASE("ldap login: empty password is refused before the directory is asked") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {})});
    TestServer server(driver, ldapSettings(slapd));
    slapd.stop();  // if the directory were asked, this would be a 503
    auto r = ldapLogin(server.client(), "alice", "");
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("password") != std::string::npos);
    auto missing = server.client().post("/api/v1/auths/ldap", {{"user", "alice"}});
    CHECK(missing.status == 400);
}

TEST_CASE("ldap login: an oversized name or password is refused before the directory is asked") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {})});
    TestServer server(driver, ldapSettings(slapd));
    slapd.stop();  // a request that reaches the directory gets a 503
    auto c = server.client();
    auto longName = ldapLogin(c, std::string(257, 'a'), "pw");
    CHECK(longName.status == 400);
    CHECK(detailOf(longName) == "field 'user' is longer than 256 bytes");
    auto longPassword = ldapLogin(c, "alice", std::string(1025, 'p'));
    CHECK(longPassword.status == 400);
    CHECK(detailOf(longPassword) == "field 'password' is longer than 1024 bytes");
    // At the bounds, the directory is asked.
    CHECK(ldapLogin(c, std::string(256, 'a'), "pw").status == 503);
    CHECK(ldapLogin(c, "alice", std::string(1024, 'p')).status == 503);
}

TEST_CASE("ldap login: an entry without mail gets a 400 naming the attribute") {
    auto driver = GENERATE(allDrivers());
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(staff(), {}));  // read only
    TestServer server(driver, ldapSettings(slapd));
    auto r = ldapLogin(server.client(), "nomail", "nomail-pw");
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("'mail'") != std::string::npos);
}

TEST_CASE("ldap login: local accounts with the same email are linked or refused") {
    auto driver = GENERATE(allDrivers());
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(staff(), {}));  // read only

    SECTION("linked by default (an account that never signed in with a local password)") {
        TestServer server(driver, ldapSettings(slapd));
        auto c = server.client();
        auto admin = c.post("/api/v1/auths/signup",
                            {{"name", "Admin"}, {"email", "admin@local.example"}, {"password", "local password"}});
        REQUIRE(admin.status == 200);
        auto local = c.post(
            "/api/v1/users/create",
            {{"name", "Bob Local"}, {"email", "bob@example.com"}, {"password", "local password"}, {"role", "pending"}},
            admin.json()["token"].get<std::string>());
        REQUIRE(local.status == 200);
        auto r = ldapLogin(c, "bob", "bob-pw");
        INFO(r.body);
        REQUIRE(r.status == 200);
        CHECK(r.json()["id"] == local.json()["id"]);
        CHECK(r.json()["role"] == "pending");  // keeps the role the local account had
        auto src = server.app().store().transact([&](db::Transaction& tx) {
            return tx
                .exec("SELECT source, username FROM users WHERE id = $1", {local.json()["id"].get<std::string>()})[0]
                .str("source");
        });
        CHECK(src == "ldap");
    }
    SECTION("refused with link_local_accounts = none") {
        TestServer server(driver, ldapSettings(slapd, {{"ldap.link_local_accounts", "none"}}));
        auto c = server.client();
        auto local = c.post("/api/v1/auths/signup",
                            {{"name", "Bob Local"}, {"email", "bob@example.com"}, {"password", "local password"}});
        REQUIRE(local.status == 200);
        auto r = ldapLogin(c, "bob", "bob-pw");
        CHECK(r.status == 400);
        CHECK(detailOf(r).find("link_local_accounts") != std::string::npos);
    }
}

TEST_CASE("ldap login: group_sync_on_login mirrors directory groups") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {{"engineers", {"alice", "bob"}}, {"sales", {"bob"}}})});
    TestServer server(driver, ldapSettings(slapd, {{"ldap.group_sync_on_login", "true"}}));
    auto c = server.client();
    auto r = ldapLogin(c, "bob", "bob-pw");
    REQUIRE(r.status == 200);
    auto names = [&] {
        return server.app().store().transact([&](db::Transaction& tx) {
            std::vector<std::string> out;
            for (const auto& row : tx.exec("SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id "
                                           "WHERE m.user_id = $1 AND g.source = 'ldap' ORDER BY g.name",
                                           {r.json()["id"].get<std::string>()}))
                out.push_back(row.str("name"));
            return out;
        });
    };
    CHECK(names() == std::vector<std::string>{"engineers", "sales"});
    slapd.modify("dn: " + groupDn("sales") + "\nchangetype: modify\ndelete: member\nmember: " + userDn("bob") +
                 "\n-\n"
                 "add: member\nmember: " +
                 userDn("alice") + "\n-\n");
    REQUIRE(ldapLogin(c, "bob", "bob-pw").status == 200);
    CHECK(names() == std::vector<std::string>{"engineers"});
}

TEST_CASE("ldap login: posixGroup memberUid groups") {
    auto driver = GENERATE(allDrivers());
    DirectoryGroup ops{"ops", {"alice"}, true, 5000};
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {ops})});
    TestServer server(driver, ldapSettings(slapd, {{"ldap.group_sync_on_login", "true"},
                                                   {"ldap.group_filter", "(objectClass=posixGroup)"},
                                                   {"ldap.group_member_attribute", "memberUid"}}));
    auto r = ldapLogin(server.client(), "alice", "alice-pw");
    REQUIRE(r.status == 200);
    auto n = server.app().store().transact([&](db::Transaction& tx) {
        return tx
            .exec("SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = $1",
                  {r.json()["id"].get<std::string>()})
            .size();
    });
    CHECK(n == 1);
}

TEST_CASE("ldap login: failover from a dead first URL") {
    auto driver = GENERATE(allDrivers());
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(staff(), {}));  // read only
    std::string dead = "ldap://127.0.0.1:" + std::to_string(freePort());
    TestServer server(driver, ldapSettings(slapd, {{"ldap.url", dead + " " + slapd.url()}}));
    CHECK(ldapLogin(server.client(), "alice", "alice-pw").status == 200);
}

TEST_CASE("ldap login: TLS with the right CA works, a wrong CA is refused") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {}), .tls = true});
    SECTION("right CA") {
        TestServer server(driver,
                          ldapSettings(slapd, {{"ldap.url", slapd.ldapsUrl()}, {"ldap.ca_file", slapd.caFile()}}));
        CHECK(ldapLogin(server.client(), "alice", "alice-pw").status == 200);
    }
    SECTION("wrong CA") {
        TestServer server(driver,
                          ldapSettings(slapd, {{"ldap.url", slapd.ldapsUrl()}, {"ldap.ca_file", slapd.wrongCaFile()}}));
        auto r = ldapLogin(server.client(), "alice", "alice-pw");
        CHECK(r.status == 503);
    }
}

TEST_CASE("ldap login: directory stopped -> 503 and /readyz says so; back -> works") {
    auto driver = GENERATE(allDrivers());
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(staff(), {})});
    TestServer server(driver, ldapSettings(slapd));
    auto c = server.client();
    CHECK(c.get("/readyz").status == 200);
    REQUIRE(ldapLogin(c, "alice", "alice-pw").status == 200);
    slapd.stop();
    auto r = ldapLogin(c, "alice", "alice-pw");
    CHECK(r.status == 503);
    CHECK(detailOf(r).find("directory cannot be reached") != std::string::npos);
    auto ready = c.get("/readyz");
    CHECK(ready.status == 503);
    CHECK(ready.body.find("ldap") != std::string::npos);
    slapd.start();
    CHECK(ldapLogin(c, "alice", "alice-pw").status == 200);
    CHECK(c.get("/readyz").status == 200);
}

TEST_CASE("ldap login: a directory error reaches the log, not the caller") {
    auto driver = GENERATE(allDrivers());
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(staff(), {}));  // read only
    // Parenthesised, so the config takes it; libldap cannot encode it, so every search fails.
    TestServer server(driver, ldapSettings(slapd, {{"ldap.user_filter", "((objectClass=inetOrgPerson))"}}));
    auto r = ldapLogin(server.client(), "alice", "alice-pw");
    CHECK(r.status == 503);
    // Not the filter, the base or an entry's DN: the error text names them.
    CHECK(detailOf(r) == "The directory failed to answer; try again later");
}

TEST_CASE("ldap login: failures are rate limited like signin") {
    auto driver = GENERATE(allDrivers());
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(staff(), {}));  // read only
    TestServer server(driver, ldapSettings(slapd, {{"auth.signin_max_attempts", "3"}, {"auth.signin_window", "15m"}}));
    auto c = server.client();
    for (int i = 0; i < 3; ++i) CHECK(ldapLogin(c, "alice", "wrong").status == 400);
    auto limited = ldapLogin(c, "alice", "alice-pw");
    CHECK(limited.status == 429);
    server.clock().advance(std::chrono::minutes(16));
    CHECK(ldapLogin(c, "alice", "alice-pw").status == 200);
}

TEST_CASE("check-config requires the connection keys when ldap is enabled") {
    daemon::ConfigReader r;
    r.set("ldap", "enabled", "true");
    r.set("ldap", "url", "ldap://127.0.0.1:1");
    r.set("ldap", "bind_dn", "cn=x,dc=example,dc=com");
    r.set("ldap", "bind_password_file", "/nonexistent");
    try {
        daemon::loadConfig(r);
        FAIL("accepted");
    } catch (const ConfigError& e) {
        CHECK(e.key() == "ldap.user_base");
    }
    r.set("ldap", "user_base", "ou=people,dc=example,dc=com");
    try {
        daemon::loadConfig(r);
        FAIL("accepted an unreadable password file");
    } catch (const ConfigError& e) {
        CHECK(e.key() == "ldap.bind_password_file");
    }
    daemon::ConfigReader bad;
    bad.set("ldap", "url", "http://x");
    CHECK_THROWS_AS(daemon::loadConfig(bad), ConfigError);
    daemon::ConfigReader off;  // disabled: nothing required
    CHECK_FALSE(daemon::loadConfig(off).ldap.enabled);
}
