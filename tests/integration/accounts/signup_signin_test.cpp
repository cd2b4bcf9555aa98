#include "accounts_fixture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("the first user becomes the primary admin; later signups follow enable_signup and the default role") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SECTION("signup disabled (the default) still admits the very first user") {
        TestServer s(driver);
        auto c = s.client();
        auto first = signup(c, "Ada", "Ada@Example.com");
        REQUIRE(first.status == 200);
        auto j = first.json();
        CHECK(j["role"] == "admin");
        CHECK(j["email"] == "ada@example.com");
        CHECK(j["token_type"] == "Bearer");
        CHECK(j["expires_at"].is_number());
        CHECK(first.header("set-cookie").find("token=") == 0);
        CHECK(first.header("set-cookie").find("HttpOnly") != std::string::npos);
        CHECK(first.header("set-cookie").find("SameSite=Lax") != std::string::npos);
        auto second = signup(c, "Bob", "bob@example.com");
        CHECK(second.status == 403);
        CHECK(detailOf(second).find("disabled") != std::string::npos);
    }
    SECTION("signup enabled gives later users the default role, pending unless configured") {
        TestServer s(driver, {{"auth.enable_signup", "true"}});
        auto c = s.client();
        REQUIRE(signup(c, "Ada", "ada@example.com").status == 200);
        auto bob = signup(c, "Bob", "bob@example.com");
        REQUIRE(bob.status == 200);
        CHECK(bob.json()["role"] == "pending");
        TestServer s2(driver, {{"auth.enable_signup", "true"}, {"auth.default_user_role", "user"}});
        auto c2 = s2.client();
        REQUIRE(signup(c2, "Ada", "ada@example.com").status == 200);
        CHECK(signup(c2, "Bob", "bob@example.com").json()["role"] == "user");
    }
}

TEST_CASE("signup validates email, password policy and duplicates") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"}, {"auth.password_min_length", "10"}});
    auto c = s.client();
    CHECK(signup(c, "Ada", "not-an-email").status == 400);
    auto weak = signup(c, "Ada", "ada@example.com", "short");
    CHECK(weak.status == 400);
    CHECK(detailOf(weak).find("at least 10") != std::string::npos);
    auto longPw = signup(c, "Ada", "ada@example.com", std::string(73, 'x'));
    CHECK(longPw.status == 400);
    CHECK(detailOf(longPw).find("72") != std::string::npos);
    CHECK(signup(c, "", "ada@example.com", "long enough pw").status == 400);
    CHECK(c.request("POST", "/api/v1/auths/signup", "{not json").status == 400);
    CHECK(c.post("/api/v1/auths/signup", {{"name", "Ada"}}).status == 400);
    REQUIRE(signup(c, "Ada", "ada@example.com", "long enough pw").status == 200);
    auto dup = signup(c, "Ada Two", "ADA@example.COM", "long enough pw");
    CHECK(dup.status == 400);
    CHECK(detailOf(dup) == "Email taken");
    // Nothing half-written: exactly one user exists.
    auto users = s.app().store().transact([](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM users"); });
    CHECK(users.front().i64(0) == 1);
}

TEST_CASE("sign-in returns the session; wrong email or password get one generic answer") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    REQUIRE(signup(c, "Ada", "ada@example.com").status == 200);
    auto ok = signin(c, "ADA@example.com");
    REQUIRE(ok.status == 200);
    std::string token = tokenOf(ok);
    auto me = c.get("/api/v1/auths/", token);
    REQUIRE(me.status == 200);
    CHECK(me.json()["email"] == "ada@example.com");
    CHECK(me.json()["token"] == token);
    CHECK(me.json()["permissions"].is_object());
    auto wrongPw = signin(c, "ada@example.com", "wrong password");
    auto noUser = signin(c, "nobody@example.com", "wrong password");
    CHECK(wrongPw.status == 400);
    CHECK(noUser.status == 400);
    CHECK(detailOf(wrongPw) == detailOf(noUser));
}

TEST_CASE("the session is accepted from the cookie too") {
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    std::string token = tokenOf(signup(c, "Ada", "ada@example.com"));
    auto r = c.request("GET", "/api/v1/auths/", "", "", {{"Cookie", "theme=dark; token=" + token}});
    CHECK(r.status == 200);
    CHECK(c.get("/api/v1/auths/").status == 401);
}

TEST_CASE("sign-in attempts are rate limited per account and per address") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.signin_max_attempts", "3"}, {"auth.signin_window", "3m"}});
    auto c = s.client();
    REQUIRE(signup(c, "Ada", "ada@example.com").status == 200);
    for (int i = 0; i < 3; ++i) CHECK(signin(c, "ada@example.com", "wrong password").status == 400);
    auto limited = signin(c, "ada@example.com");  // even the right password waits now
    CHECK(limited.status == 429);
    CHECK(std::stoi(limited.header("retry-after")) > 0);
    CHECK(std::stoi(limited.header("retry-after")) <= 180);
    s.clock().advance(std::chrono::minutes(4));
    CHECK(signin(c, "ada@example.com").status == 200);
}

TEST_CASE("signout revokes the presented token in the store") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string token = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string other = tokenOf(signin(c, "ada@example.com"));
    auto out = c.get("/api/v1/auths/signout", token);
    REQUIRE(out.status == 200);
    CHECK(out.header("set-cookie").find("Max-Age=0") != std::string::npos);
    auto after = c.get("/api/v1/auths/", token);
    CHECK(after.status == 401);
    CHECK(detailOf(after).find("revoked") != std::string::npos);
    CHECK(c.get("/api/v1/auths/", other).status == 200);
    // A second replica on the same database honours the revocation.
    if (driver == db::Driver::Postgres) {
        TestServer replica(driver, {{"auth.jwt_secret_file", s.dataDir() + "/jwt_secret"}}, s.databaseUrl());
        CHECK(replica.client().get("/api/v1/auths/", token).status == 401);
        CHECK(replica.client().get("/api/v1/auths/", other).status == 200);
    }
}

TEST_CASE("password and profile updates") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string token = tokenOf(signup(c, "Ada", "ada@example.com"));
    CHECK(c.post("/api/v1/auths/update/password", {{"password", "wrong"}, {"new_password", "new password"}}, token)
              .status == 400);
    CHECK(
        c.post("/api/v1/auths/update/password", {{"password", "correct horse"}, {"new_password", "x"}}, token).status ==
        400);
    REQUIRE(c.post("/api/v1/auths/update/password", {{"password", "correct horse"}, {"new_password", "new password"}},
                   token)
                .status == 200);
    CHECK(signin(c, "ada@example.com").status == 400);
    CHECK(signin(c, "ada@example.com", "new password").status == 200);
    auto p = c.post("/api/v1/auths/update/profile",
                    {{"name", "Ada L."}, {"profile_image_url", "https://example.com/a.png"}}, token);
    REQUIRE(p.status == 200);
    CHECK(p.json()["name"] == "Ada L.");
    CHECK(c.get("/api/v1/auths/", token).json()["profile_image_url"] == "https://example.com/a.png");
}
