// The sign-in policy at the directory door, against a real slapd on both store drivers: which
// local accounts a directory entry may take over by email (at login and in sync), and the rate
// limit on login names.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "../accounts/accounts_fixture.h"
#include "accounts/directory_login.h"
#include "common/errors.h"
#include "daemon/ldap_verifier.h"
#include "db/store.h"
#include "ldap_test_helpers.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::vector<DirectoryUser> policyStaff() {
    return {{"alice", "Alice Archer", "Alice@Example.COM", "alice-pw"},
            {"bob", "Bob Baker", "bob@example.com", "bob-pw"},
            {"carol", "Carol Cook", "carol@example.com", "carol-pw"}};
}

HttpResult signupAs(const HttpClient& c, const std::string& name, const std::string& email) {
    return c.post("/api/v1/auths/signup", {{"name", name}, {"email", email}, {"password", "local password"}});
}

HttpResult signinAs(const HttpClient& c, const std::string& email) {
    return c.post("/api/v1/auths/signin", {{"email", email}, {"password", "local password"}});
}

std::string column(TestServer& s, const std::string& sql, const std::string& id) {
    return s.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, {id}).front().str(0); });
}

}  // namespace

TEST_CASE("ldap login: a directory entry with the primary admin's email does not take it over") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(policyStaff(), {}));  // read only
    TestServer server(driver, slapdSettings(slapd));
    auto c = server.client();
    // The owner signed up first with the address the directory entry "alice" also has (other case).
    auto owner = signupAs(c, "Owner", "ALICE@example.com");
    std::string ownerToken = tokenOf(owner);
    std::string ownerId = owner.json()["id"];
    REQUIRE(owner.json()["role"] == "admin");

    auto r = ldapLogin(c, "alice", "alice-pw");
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("cannot be linked") != std::string::npos);
    // The account is untouched: still local, still the owner's name, the password still works.
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", ownerId) == "local");
    CHECK(column(server, "SELECT name FROM users WHERE id = $1", ownerId) == "Owner");
    CHECK(signinAs(c, "alice@example.com").status == 200);

    // Admins see the refusal and its reason; allowing an admin account is refused.
    auto list = c.get("/api/v1/users/directory_link_refusals", ownerToken);
    REQUIRE(list.status == 200);
    REQUIRE(list.json().size() == 1);
    CHECK(list.json()[0]["user_id"] == ownerId);
    CHECK(list.json()[0]["dn"] == userDn("alice"));
    CHECK(list.json()[0]["reason"].get<std::string>().find("primary admin") != std::string::npos);
    auto allow = c.post("/api/v1/users/" + ownerId + "/directory_link", {{"allowed", true}}, ownerToken);
    CHECK(allow.status == 400);
    CHECK(ldapLogin(c, "alice", "alice-pw").status == 400);
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", ownerId) == "local");
}

TEST_CASE("ldap login: an account that signed in with its password is linked only once an admin allows it") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(policyStaff(), {}));  // read only
    TestServer server(driver, slapdSettings(slapd, {{"auth.enable_signup", "true"}}));
    auto c = server.client();
    std::string admin = tokenOf(signupAs(c, "Admin", "admin@local.example"));
    auto bob = signupAs(c, "Bob Local", "bob@example.com");
    std::string bobId = bob.json()["id"];
    REQUIRE(signinAs(c, "bob@example.com").status == 200);
    // A non-admin cannot see or change the links.
    CHECK(c.get("/api/v1/users/directory_link_refusals", tokenOf(bob)).status == 403);

    auto refused = ldapLogin(c, "bob", "bob-pw");
    CHECK(refused.status == 400);
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", bobId) == "local");
    auto list = c.get("/api/v1/users/directory_link_refusals", admin).json();
    REQUIRE(list.size() == 1);
    CHECK(list[0]["reason"].get<std::string>().find("local password") != std::string::npos);
    CHECK(list[0]["directory_link_allowed"] == false);

    auto allow = c.post("/api/v1/users/" + bobId + "/directory_link", {{"allowed", true}}, admin);
    INFO(allow.body);
    REQUIRE(allow.status == 200);
    CHECK(allow.json()["directory_link_allowed"] == true);
    auto linked = ldapLogin(c, "bob", "bob-pw");
    INFO(linked.body);
    REQUIRE(linked.status == 200);
    CHECK(linked.json()["id"] == bobId);
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", bobId) == "ldap");
    CHECK(c.get("/api/v1/users/directory_link_refusals", admin).json().empty());
    CHECK(c.post("/api/v1/users/nobody/directory_link", {{"allowed", true}}, admin).status == 404);
    CHECK(c.post("/api/v1/users/" + bobId + "/directory_link", {{"allowed", "yes"}}, admin).status == 400);
}

TEST_CASE("ldap sync: links by email never take over an admin or a password-signed account") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(policyStaff(), {}));  // read only
    TestServer server(driver, slapdSettings(slapd, {{"auth.enable_signup", "true"},
                                                    {"sync.interval", "0"},
                                                    {"sync.max_deactivation_percent", "100"}}));
    auto c = server.client();
    auto owner = signupAs(c, "Owner", "alice@example.com");  // the primary admin
    std::string admin = tokenOf(owner);
    auto bob = signupAs(c, "Bob Local", "bob@example.com");  // signed in with a password
    std::string bobId = bob.json()["id"];
    auto carol = c.post(
        "/api/v1/users/create",
        {{"name", "Carol Local"}, {"email", "carol@example.com"}, {"password", "local password"}, {"role", "user"}},
        admin);
    REQUIRE(carol.status == 200);  // never signed in: may be linked

    auto run = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    INFO(run.body);
    REQUIRE(run.status == 200);
    CHECK(run.json()["counts"]["users_linked"] == 1);
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", owner.json()["id"]) == "local");
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", bobId) == "local");
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", carol.json()["id"]) == "ldap");
    // The run record says why each was not linked.
    auto runs = server.app().store().transact([](db::Transaction& tx) {
        return tx.exec("SELECT skipped FROM sync_runs ORDER BY started_at DESC").front().str(0);
    });
    CHECK(runs.find("primary admin") != std::string::npos);
    CHECK(runs.find("local password") != std::string::npos);

    // Once an admin allows it, the next run links Bob's account.
    REQUIRE(c.post("/api/v1/users/" + bobId + "/directory_link", {{"allowed", true}}, admin).status == 200);
    auto again = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    REQUIRE(again.status == 200);
    CHECK(column(server, "SELECT source FROM users WHERE id = $1", bobId) == "ldap");
}

TEST_CASE("ldap login: the rate limit counts a login name however it is cased or spaced") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(policyStaff(), {}));  // read only
    TestServer server(driver, slapdSettings(slapd, {{"auth.signin_max_attempts", "3"},
                                                    {"auth.signin_window", "15m"},
                                                    {"auth.default_user_role", "user"}}));
    auto& app = server.app();
    daemon::LdapVerifier verifier(*app.directory());
    accounts::DirectoryLogin login(app.store(), app.outbox(), app.clock(), app.accounts(), {});
    // Each attempt from another address, so that only the login name's count can refuse.
    CHECK_THROWS_AS(login.signIn(verifier, "Alice", "wrong", "10.0.0.1"), InvalidInput);
    CHECK_THROWS_AS(login.signIn(verifier, " alice", "wrong", "10.0.0.2"), InvalidInput);
    CHECK_THROWS_AS(login.signIn(verifier, "ALICE\t", "wrong", "10.0.0.3"), InvalidInput);
    CHECK_THROWS_AS(login.signIn(verifier, "aLiCe ", "alice-pw", "10.0.0.4"), RateLimited);
    server.clock().advance(std::chrono::minutes(16));
    CHECK(login.signIn(verifier, "  Alice  ", "alice-pw", "10.0.0.5").user.email == "alice@example.com");
}

TEST_CASE("ldap login: parallel wrong passwords check at most the limit") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(policyStaff(), {}));  // read only
    TestServer server(driver, slapdSettings(slapd, {{"auth.signin_max_attempts", "5"}, {"auth.signin_window", "15m"}}));
    std::atomic<int> checked{0}, limited{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 40; ++i)
        threads.emplace_back([&, i] {
            auto r = ldapLogin(server.client(), i % 2 ? "alice" : "Alice", "wrong password " + std::to_string(i));
            if (r.status == 400)
                ++checked;
            else if (r.status == 429)
                ++limited;
            else
                ++other;
        });
    for (auto& t : threads) t.join();
    CHECK(checked == 5);
    CHECK(limited == 35);
    CHECK(other == 0);
}

TEST_CASE("ldap login: unknown names and wrong passwords answer alike; timing printed", "[.][timing]") {
    // Hidden (run with "[timing]"): prints the two latency distributions for comparison by eye;
    // asserts only what must be identical.
    SlapdServer& slapd = sharedSlapd(peopleAndGroupsLdif(policyStaff(), {}));  // read only
    TestServer server(db::Driver::Sqlite, slapdSettings(slapd, {{"auth.signin_max_attempts", "0"}}));
    auto c = server.client();
    auto sample = [&](const std::string& user) {
        std::vector<double> ms;
        HttpResult last;
        for (int i = 0; i < 300; ++i) {
            auto t0 = std::chrono::steady_clock::now();
            last = ldapLogin(c, user, "wrong password");
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            REQUIRE(last.status == 400);
        }
        std::sort(ms.begin(), ms.end());
        std::printf("%-8s p10 %.2f ms  p50 %.2f ms  p90 %.2f ms\n", user.c_str(), ms[30], ms[150], ms[270]);
        return last.body;
    };
    for (int round = 0; round < 2; ++round) {
        auto wrong = sample("alice");
        auto unknown = sample("mallory");
        CHECK(wrong == unknown);
    }
}
