// The sign-in policy at the password and token doors, on both store drivers: the signup race and
// rate limit, the first admin's path, tokens with extra segments, sessions a password change ends,
// and loose or weak JWT secret files.
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "accounts_fixture.h"
#include "common/errors.h"
#include "daemon/config.h"
#include "support/process.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::int64_t scalar(TestServer& s, const std::string& sql) {
    return s.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql).front().i64(0); });
}

/// A directory user as sync writes it (no password, source ldap).
void insertSyncedUser(TestServer& s, const std::string& id, const std::string& email) {
    s.app().store().transact([&](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO users (id, name, email, role, source, external_id, created_at, updated_at, last_active_at) "
            "VALUES ($1, $1, $2, 'user', 'ldap', $1, 1, 1, 1)",
            {id, email});
    });
}

}  // namespace

TEST_CASE("signup race: 20 concurrent signups with signup disabled create exactly one account") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.bcrypt_cost", "4"}, {"auth.signup_max_attempts", "0"}});
    std::atomic<int> ok{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&, i] {
            auto r = signup(s.client(), "User " + std::to_string(i), "user" + std::to_string(i) + "@example.com");
            if (r.status == 200)
                ++ok;
            else if (r.status == 403)
                ++refused;
            else
                ++other;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 1);
    CHECK(refused == 19);
    CHECK(other == 0);
    CHECK(scalar(s, "SELECT count(*) FROM users") == 1);
    CHECK(scalar(s, "SELECT count(*) FROM users WHERE is_primary = 1 AND role = 'admin'") == 1);
}

TEST_CASE("first admin: users created by sync or import never consume the first signup") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    insertSyncedUser(s, "synced-1", "synced1@example.com");
    insertSyncedUser(s, "synced-2", "synced2@example.com");
    auto first = signup(s.client(), "Ada", "ada@example.com");
    INFO(first.body);
    REQUIRE(first.status == 200);
    CHECK(first.json()["role"] == "admin");
    CHECK(scalar(s, "SELECT count(*) FROM users WHERE is_primary = 1") == 1);
    CHECK(signup(s.client(), "Bob", "bob@example.com").status == 403);  // the right is used up now
}

TEST_CASE("first admin: [auth] initial_admin_email promotes that account, and only it claims the slot") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SECTION("an account that signs up") {
        TestServer s(driver, {{"auth.initial_admin_email", "Boss@Example.com"}});
        insertSyncedUser(s, "synced-1", "synced1@example.com");
        CHECK(signup(s.client(), "Mallory", "mallory@example.com").status == 403);
        auto boss = signup(s.client(), "Boss", "boss@example.com");
        REQUIRE(boss.status == 200);
        CHECK(boss.json()["role"] == "admin");
        CHECK(scalar(s, "SELECT count(*) FROM users WHERE is_primary = 1") == 1);
    }
    SECTION("an account that exists already (created by sync), at start and at sign-in") {
        std::string url;
        {
            TestServer s(driver);
            insertSyncedUser(s, "synced-boss", "boss@example.com");
            insertSyncedUser(s, "synced-ann", "ann@example.com");
            url = s.databaseUrl();
            CHECK(scalar(s, "SELECT count(*) FROM users WHERE is_primary = 1") == 0);
        }
        TestServer again(driver, {{"auth.initial_admin_email", "boss@example.com"}}, url);
        CHECK(scalar(again,
                     "SELECT count(*) FROM users WHERE is_primary = 1 AND id = 'synced-boss' AND role = 'admin'") == 1);
    }
}

TEST_CASE("signup is rate limited per client address") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"},
                          {"auth.signup_max_attempts", "3"},
                          {"auth.signup_window", "10m"},
                          {"auth.bcrypt_cost", "4"}});
    auto c = s.client();
    for (int i = 0; i < 3; ++i) CHECK(signup(c, "U", "u" + std::to_string(i) + "@example.com").status == 200);
    auto limited = signup(c, "U", "u3@example.com");
    CHECK(limited.status == 429);
    CHECK(std::stoi(limited.header("retry-after")) > 0);
    CHECK(std::stoi(limited.header("retry-after")) <= 600);
    CHECK(detailOf(limited).find("signups") != std::string::npos);
    CHECK(scalar(s, "SELECT count(*) FROM users") == 3);
    s.clock().advance(std::chrono::minutes(11));
    CHECK(signup(c, "U", "u3@example.com").status == 200);
}

TEST_CASE("a valid token with extra segments appended is refused") {
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    std::string token = tokenOf(signup(c, "Ada", "ada@example.com"));
    REQUIRE(c.get("/api/v1/auths/", token).status == 200);
    for (std::string extra : {".", ".x", ".x.y", "..", ".eyJhIjoxfQ"}) {
        INFO(extra);
        auto r = c.get("/api/v1/auths/", token + extra);
        CHECK(r.status == 401);
    }
}

TEST_CASE("a password change ends the user's other sessions and keeps the current one") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"}});
    auto c = s.client();
    std::string current = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string laptop = tokenOf(signin(c, "ada@example.com"));
    std::string phone = tokenOf(signin(c, "ada@example.com"));
    std::string otherUser = tokenOf(signup(c, "Bob", "bob@example.com"));
    REQUIRE(c.post("/api/v1/auths/update/password", {{"password", "correct horse"}, {"new_password", "new password"}},
                   current)
                .status == 200);
    CHECK(c.get("/api/v1/auths/", current).status == 200);
    for (const auto& t : {laptop, phone}) {
        auto r = c.get("/api/v1/auths/", t);
        CHECK(r.status == 401);
        CHECK(detailOf(r).find("revoked") != std::string::npos);
    }
    CHECK(c.get("/api/v1/auths/", otherUser).status == 200);
    // A session started after the change works, and so does the kept one after a second change.
    std::string fresh = tokenOf(signin(c, "ada@example.com", "new password"));
    CHECK(c.get("/api/v1/auths/", fresh).status == 200);
    REQUIRE(c.post("/api/v1/auths/update/password", {{"password", "new password"}, {"new_password", "third password"}},
                   fresh)
                .status == 200);
    CHECK(c.get("/api/v1/auths/", fresh).status == 200);
    CHECK(c.get("/api/v1/auths/", current).status == 401);
}

TEST_CASE("a JWT secret file others may write, or a weak secret, is refused naming the file and the fix") {
    std::string dir = makeTempDir("rosterd-secret");
    std::string path = dir + "/jwt_secret";
    auto loadWith = [&] {
        daemon::ConfigReader r;
        r.set("auth", "jwt_secret_file", path);
        return daemon::loadConfig(r);
    };
    auto refusal = [&]() -> std::string {
        try {
            loadWith();
        } catch (const ConfigError& e) {
            CHECK(e.key() == "auth.jwt_secret_file");
            return e.what();
        }
        return "";
    };
    writeFile(path, "0123456789abcdefghijklmnopqrstuvwxyzABCDEF\n");
    ::chmod(path.c_str(), 0600);
    CHECK_NOTHROW(loadWith());
    ::chmod(path.c_str(), 0620);
    auto why = refusal();
    CHECK(why.find(path) != std::string::npos);
    CHECK(why.find("chmod 600") != std::string::npos);
    ::chmod(path.c_str(), 0602);
    CHECK(refusal().find("everyone") != std::string::npos);
    ::chmod(path.c_str(), 0600);
    writeFile(path, "short\n");
    ::chmod(path.c_str(), 0600);
    CHECK(refusal().find("fewer than 32 bytes") != std::string::npos);
    writeFile(path, std::string(40, 'a') + "\n");
    ::chmod(path.c_str(), 0600);
    why = refusal();
    CHECK(why.find("weak") != std::string::npos);
    CHECK(why.find(path) != std::string::npos);
    // And at start: the server refuses the same file.
    CHECK_THROWS_AS(TestServer(db::Driver::Sqlite, {{"auth.jwt_secret_file", path}}), ConfigError);
}
