// A reload (SIGHUP or a runtime setting) either applies an [auth] key or says, per key, that it
// takes effect after a restart; it never claims a change it did not make.
#include <catch2/catch.hpp>

#include "daemon/reload.h"
#include "support/log_capture.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

int signup(const HttpClient& c, const std::string& name) {
    return c
        .post("/api/v1/auths/signup",
              {{"name", name}, {"email", name + "@example.com"}, {"password", "correct horse battery"}})
        .status;
}

}  // namespace

TEST_CASE("reload: enable_signup applies at once; bcrypt_cost is named as taking effect after a restart") {
    TestServer s(db::Driver::Sqlite, {{"server.persistent_config", "false"}});
    auto c = s.client();
    REQUIRE(signup(c, "ada") == 200);  // the first account may always sign up
    CHECK(signup(c, "bob") == 403);
    int cost = s.app().config()->auth.bcryptCost;

    LogCapture log;
    auto next = daemon::withOverrides(*s.app().config(), {{"auth.enable_signup", "true"},
                                                          {"auth.default_user_role", "user"},
                                                          {"auth.bcrypt_cost", std::to_string(cost + 1)}});
    REQUIRE(s.app().reload(next));
    INFO(log.text());
    CHECK(signup(c, "bob") == 200);  // the running account service took the new value
    CHECK(log.text().find("auth: reloaded; now in effect: enable_signup, default_user_role") != std::string::npos);
    CHECK(log.text().find("auth.bcrypt_cost changed; it takes effect after a restart") != std::string::npos);
    CHECK(log.text().find("not yet in effect until a restart: auth.bcrypt_cost") != std::string::npos);
    // What the daemon reports is what it runs with.
    CHECK(s.app().config()->auth.bcryptCost == cost);
    CHECK(s.app().config()->auth.enableSignup);
}

TEST_CASE("reload: jwt_expires_in applies to tokens issued afterwards") {
    TestServer s(db::Driver::Sqlite, {{"server.persistent_config", "false"}, {"auth.jwt_expires_in", "1h"}});
    auto c = s.client();
    auto first = c.post("/api/v1/auths/signup",
                        {{"name", "Ada"}, {"email", "ada@example.com"}, {"password", "correct horse battery"}});
    REQUIRE(first.status == 200);
    auto expiresBefore = first.json()["expires_at"].get<std::int64_t>();
    REQUIRE(s.app().reload(daemon::withOverrides(*s.app().config(), {{"auth.jwt_expires_in", "2h"}})));
    auto again = c.post("/api/v1/auths/signin", {{"email", "ada@example.com"}, {"password", "correct horse battery"}});
    REQUIRE(again.status == 200);
    CHECK(again.json()["expires_at"].get<std::int64_t>() - expiresBefore == 3600);
}
