// Runtime settings across replicas and restarts, with persistent_config off, and an LDAP server
// change through the admin page taking effect without a restart.
#include <thread>

#include "openwebui_fixture.h"
#include "support/ldap_settings.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("runtime settings: another replica on the same PostgreSQL applies a change within one second") {
    auto first = std::make_unique<TestServer>(db::Driver::Postgres);
    TestServer second(db::Driver::Postgres, {}, first->databaseUrl());
    auto a = first->client();
    auto b = second.client();
    std::string adminOnA = signupToken(a, "Ada", "ada@example.com");
    std::string adminOnB = signinToken(b, "ada@example.com");  // each test server has its own token secret
    CHECK(ok(owui(b, "GET", "/api/v1/auths/signup/enabled", adminOnB)) == false);

    ok(owui(a, "POST", "/api/v1/auths/admin/config", adminOnA,
            adminForm({{"ENABLE_SIGNUP", true}, {"DEFAULT_USER_ROLE", "user"}})));
    auto changedAt = std::chrono::steady_clock::now();
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() - changedAt < std::chrono::seconds(1)) {
        seen = ok(owui(b, "GET", "/api/v1/auths/signup/enabled", adminOnB)) == true;
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(seen);
    CHECK(ok(owui(b, "GET", "/api/config"))["features"]["enable_signup"] == true);
    CHECK(second.app().config()->auth.defaultUserRole == "user");

    // Survives a restart: a new process on the same database starts with the stored values.
    std::string url = first->databaseUrl();
    first.reset();
    TestServer restarted(db::Driver::Postgres, {}, url);
    CHECK(restarted.app().config()->auth.enableSignup);
    CHECK(restarted.app().config()->auth.defaultUserRole == "user");
    auto r = restarted.client();
    std::string admin = signinToken(r, "ada@example.com");
    auto page = ok(owui(r, "GET", "/api/v1/auths/admin/config", admin));
    CHECK(page["ENABLE_SIGNUP"] == true);
    CHECK(page["DEFAULT_USER_ROLE"] == "user");
}

TEST_CASE("runtime settings: the stored value survives a restart and wins over the INI (SQLite)") {
    std::string url = freshDatabaseUrl(db::Driver::Sqlite);
    {
        TestServer s(db::Driver::Sqlite, {{"auth.jwt_expires_in", "1d"}}, url);
        auto c = s.client();
        std::string admin = signupToken(c, "Ada", "ada@example.com");
        ok(owui(c, "POST", "/api/v1/auths/token/expires/update", admin, {{"duration", "3h"}}));
    }
    TestServer s(db::Driver::Sqlite, {{"auth.jwt_expires_in", "1d"}}, url);
    CHECK(s.app().config()->auth.jwtExpiresIn == std::chrono::hours(3));
    // A SIGHUP re-reads the INI and keeps the stored value on top.
    daemon::ConfigReader reader;
    reader.set("server", "listen", "127.0.0.1:0");
    reader.set("database", "url", url);
    reader.set("auth", "jwt_secret_file", s.dataDir() + "/jwt_secret");
    reader.set("auth", "jwt_expires_in", "2d");
    reader.set("log", "level", "warn");
    REQUIRE(s.app().reload(daemon::loadConfig(reader)));
    CHECK(s.app().config()->log.level == "warn");
    CHECK(s.app().config()->auth.jwtExpiresIn == std::chrono::hours(3));
}

TEST_CASE("runtime settings: persistent_config = false makes the INI authoritative (409 naming the key)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"server.persistent_config", "false"}});
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    auto r = owui(c, "GET", "/api/v1/auths/signup/enabled/toggle", admin);
    CHECK(r.status == 409);
    CHECK(detailOf(r).find("auth.enable_signup") != std::string::npos);
    CHECK(detailOf(r).find("persistent_config") != std::string::npos);
    r = owui(c, "POST", "/api/v1/auths/signup/user/role", admin, {{"role", "user"}});
    CHECK(r.status == 409);
    CHECK(detailOf(r).find("auth.default_user_role") != std::string::npos);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/signup/enabled", admin)) == false);
    CHECK(s.app().settings().load().values.empty());
}

TEST_CASE("runtime settings: an LDAP server saved on the admin page swaps the directory without a restart") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer a({.ldif = peopleAndGroupsLdif({{"alice", "Alice", "alice@a.example", "alice-pw"}}, {})});
    SlapdServer b({.ldif = peopleAndGroupsLdif({{"bob", "Bob", "bob@b.example", "bob-pw"}}, {})});
    TestServer s(driver, slapdSettings(a));
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@local.example");
    auto login = [&](const std::string& user, const std::string& password) {
        return owui(c, "POST", "/api/v1/auths/ldap", "", {{"user", user}, {"password", password}}).status;
    };
    CHECK(login("alice", "alice-pw") == 200);
    CHECK(login("bob", "bob-pw") == 400);

    auto page = ok(owui(c, "GET", "/api/v1/auths/admin/config/ldap/server", admin));
    CHECK(page["app_dn_password"] == "");
    std::string bUrl = b.url();
    nlohmann::json form = page;
    form["host"] = "127.0.0.1";
    form["port"] = std::stoi(bUrl.substr(bUrl.rfind(':') + 1));
    form["use_tls"] = false;
    form["app_dn_password"] = SlapdServer::kServicePassword;
    form["search_base"] = "not a dn";  // refused whole, naming the key; directory A stays
    auto refused = owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, form);
    CHECK(refused.status == 400);
    CHECK(detailOf(refused).find("ldap.user_base") != std::string::npos);
    form["search_base"] = SlapdServer::kPeople;
    form["app_dn_password"] = "wrong-password";  // the directory refuses the bind: not stored
    refused = owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, form);
    CHECK(refused.status == 400);
    CHECK(detailOf(refused).find("directory does not accept") != std::string::npos);
    CHECK(login("alice", "alice-pw") == 200);
    CHECK(s.app().config()->ldap.urls == std::vector<std::string>{a.url()});
    CHECK(s.app().settings().load().values.empty());

    form["app_dn_password"] = SlapdServer::kServicePassword;
    auto saved = ok(owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, form));
    CHECK(saved["port"] == form["port"]);
    CHECK(saved["app_dn_password"] == "");
    CHECK(login("bob", "bob-pw") == 200);
    CHECK(login("alice", "alice-pw") == 400);
    CHECK(s.app().config()->ldap.urls == std::vector<std::string>{bUrl});
    CHECK(s.app().config()->ldap.bindPasswordFile.rfind(s.dataDir(), 0) == 0);
}
