// Reloading [ldap] in-process against two real directories: later logins and syncs use the new
// settings, requests under way finish on the directory they started with, and a section that
// does not check out is refused whole.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "reload_fixture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::string detailOf(const HttpResult& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("detail") ? j["detail"].get<std::string>() : r.body;
}

}  // namespace

TEST_CASE("reload [ldap]: logins, readiness and sync move to the new directory; a bad section is refused") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    SlapdServer a({.ldif = peopleAndGroupsLdif({{"alice", "Alice", "alice@a.example", "alice-pw"},
                                                {"carol", "Carol", "carol@a.example", "carol-on-a"}},
                                               {})});
    SlapdServer b(
        {.ldif = peopleAndGroupsLdif(
             {{"bob", "Bob", "bob@b.example", "bob-pw"}, {"carol", "Carol", "carol@b.example", "carol-on-b"}}, {})});
    TestServer s(driver, ldapSettings(a));
    auto c = s.client();
    std::string admin = firstAdmin(c);
    CHECK(ldapLogin(c, "alice", "alice-pw").status == 200);
    CHECK(ldapLogin(c, "bob", "bob-pw").status == 400);

    // Checked before anything applies: a bind password file that cannot be read, a missing base.
    daemon::Config bad = reloadConfig(s, ldapSettings(b));
    bad.ldap.bindPasswordFile = b.dir() + "/no-such-file";
    CHECK_FALSE(s.app().reload(bad));
    CHECK(s.app().notifier().statusLine().find("last reload rejected: ldap.bind_password_file") != std::string::npos);
    bad = reloadConfig(s, ldapSettings(b));
    bad.ldap.userBase.clear();
    CHECK_FALSE(s.app().reload(bad));
    CHECK(s.app().notifier().statusLine().find("last reload rejected: ldap.user_base") != std::string::npos);
    CHECK(ldapLogin(c, "alice", "alice-pw").status == 200);  // still directory A
    CHECK(s.app().config()->ldap.urls == std::vector<std::string>{a.url()});

    REQUIRE(s.app().reload(reloadConfig(s, ldapSettings(b))));
    CHECK(s.app().config()->ldap.urls == std::vector<std::string>{b.url()});
    auto bob = ldapLogin(c, "bob", "bob-pw");
    INFO(bob.body);
    CHECK(bob.status == 200);
    CHECK(bob.json()["email"] == "bob@b.example");
    auto alice = ldapLogin(c, "alice", "alice-pw");
    CHECK(alice.status == 400);
    CHECK(detailOf(alice) == "The username or password provided is incorrect.");
    CHECK(ldapLogin(c, "carol", "carol-on-a").status == 400);
    CHECK(ldapLogin(c, "carol", "carol-on-b").status == 200);

    // Readiness and sync read directory B: A going away does not matter any more.
    a.stop();
    CHECK(c.get("/readyz").status == 200);
    auto run = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    INFO(run.body);
    REQUIRE(run.status == 200);
    CHECK(run.json()["counts"]["users_created"] == 0);      // bob and carol logged in already
    CHECK(run.json()["counts"]["users_deactivated"] == 1);  // alice is not in B
    b.stop();
    CHECK(c.get("/readyz").status == 503);
}

TEST_CASE("reload [ldap]: link_local_accounts changes for login and sync together") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"dana", "Dana", "dana@corp.example", "dana-pw"},
                                                   {"eve", "Eve", "eve@corp.example", "eve-pw"},
                                                   {"finn", "Finn", "finn@corp.example", "finn-pw"}},
                                                  {})});
    TestServer s(db::Driver::Sqlite, ldapSettings(ldap));
    auto c = s.client();
    std::string admin = firstAdmin(c);
    for (const char* who : {"dana", "eve", "finn"}) {
        auto r = c.post("/api/v1/users/create",
                        {{"name", who},
                         {"email", std::string(who) + "@corp.example"},
                         {"password", "correct horse"},
                         {"role", "user"}},
                        admin);
        INFO(r.body);
        REQUIRE(r.status == 200);
    }
    CHECK(s.app().syncService().config().linkLocalAccounts);
    CHECK(ldapLogin(c, "dana", "dana-pw").status == 200);  // linked by email

    REQUIRE(s.app().reload(reloadConfig(s, ldapSettings(ldap, {{"ldap.link_local_accounts", "none"}}))));
    CHECK_FALSE(s.app().syncService().config().linkLocalAccounts);
    auto eve = ldapLogin(c, "eve", "eve-pw");
    CHECK(eve.status == 400);
    CHECK(detailOf(eve).find("linking local accounts is disabled (ldap.link_local_accounts)") != std::string::npos);
    auto run = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    INFO(run.body);
    REQUIRE(run.status == 200);
    CHECK(run.json()["counts"]["users_linked"] == 0);
    CHECK(run.json()["counts"]["skipped"] == 2);  // eve and finn stay local

    REQUIRE(s.app().reload(reloadConfig(s, ldapSettings(ldap))));
    CHECK(s.app().syncService().config().linkLocalAccounts);
    CHECK(ldapLogin(c, "eve", "eve-pw").status == 200);
    run = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    INFO(run.body);
    REQUIRE(run.status == 200);
    CHECK(run.json()["counts"]["users_linked"] == 1);  // finn
}

TEST_CASE("reload [ldap]: logins under way while the directory is swapped all complete") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"gus", "Gus", "gus@corp.example", "gus-pw"}}, {})});
    TestServer s(db::Driver::Sqlite, ldapSettings(ldap));
    auto c = s.client();
    REQUIRE(ldapLogin(c, "gus", "gus-pw").status == 200);
    std::atomic<bool> done{false};
    std::atomic<int> ok{0};
    std::vector<std::string> failures;
    std::thread clients([&] {
        while (!done) {
            auto r = ldapLogin(c, "gus", "gus-pw");
            if (r.status == 200)
                ++ok;
            else
                failures.push_back(std::to_string(r.status) + " " + r.body);
        }
    });
    // Each reload builds new pools and drops the old ones while logins hold them; the next reload
    // waits until a login got through on the current ones.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (int i = 0; i < 20; ++i) {
        auto settings = ldapSettings(
            ldap, {{"ldap.timeout", std::to_string(3 + i % 2) + "s"}, {"ldap.pool_size", std::to_string(1 + i % 3)}});
        int seen = ok;
        CHECK(s.app().reload(reloadConfig(s, settings)));
        while (ok <= seen + 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    }
    done = true;
    clients.join();
    std::string all;
    for (const auto& f : failures) all += f + "\n";
    INFO(all);
    CHECK(failures.empty());
    CHECK(ok > 20);
}

TEST_CASE("reload: switching [ldap] enabled needs a restart and keeps the running section") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"hal", "Hal", "hal@corp.example", "hal-pw"}}, {})});
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    CHECK(ldapLogin(c, "hal", "hal-pw").status == 400);
    CHECK(s.app().reload(reloadConfig(s, ldapSettings(ldap))));
    CHECK_FALSE(s.app().config()->ldap.enabled);
    CHECK(daemon::restartOnlyChanges(*s.app().config(), reloadConfig(s, ldapSettings(ldap))) ==
          std::vector<std::string>{"ldap.enabled"});
    auto r = ldapLogin(c, "hal", "hal-pw");
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("LDAP login is not enabled") != std::string::npos);
}

TEST_CASE("reload [ldap]: group_sync_on_login and the attribute mapping apply to the next login") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"ivy", "Ivy Iverson", "ivy@corp.example", "ivy-pw"}},
                                                  {{"staff", {"ivy"}}, {"ops", {"ivy"}}})});
    TestServer s(db::Driver::Sqlite, ldapSettings(ldap));
    auto c = s.client();
    auto memberships = [&] {
        return s.app().store().transact(
            [](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM group_members", {}).front().i64(0); });
    };
    auto first = ldapLogin(c, "ivy", "ivy-pw");
    INFO(first.body);
    REQUIRE(first.status == 200);
    CHECK(first.json()["name"] == "Ivy Iverson");
    CHECK(memberships() == 0);

    REQUIRE(s.app().reload(
        reloadConfig(s, ldapSettings(ldap, {{"ldap.group_sync_on_login", "true"}, {"ldap.name_attribute", "uid"}}))));
    auto second = ldapLogin(c, "ivy", "ivy-pw");
    INFO(second.body);
    REQUIRE(second.status == 200);
    CHECK(memberships() == 2);
    CHECK(second.json()["name"] == "ivy");

    // A login by another attribute: mail as the username.
    REQUIRE(s.app().reload(reloadConfig(s, ldapSettings(ldap, {{"ldap.username_attribute", "mail"}}))));
    CHECK(ldapLogin(c, "ivy", "ivy-pw").status == 400);
    CHECK(ldapLogin(c, "ivy@corp.example", "ivy-pw").status == 200);
}
