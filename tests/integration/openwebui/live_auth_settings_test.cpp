// [auth] runtime settings changed through the admin pages decide the very next request: signup
// open or closed, the role of new signups, the lifetime of new tokens; on the replica that stored
// them, on a second one sharing the PostgreSQL database within a second, and after a restart.
#include <thread>

#include "openwebui_fixture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

nlohmann::json signupForm(const std::string& name, const std::string& email) {
    return {{"name", name}, {"email", email}, {"password", "correct horse"}, {"profile_image_url", ""}};
}

/// The session of a signup, or the failed answer's status as {"status": N}.
nlohmann::json trySignup(const HttpClient& c, const std::string& name, const std::string& email) {
    auto r = owui(c, "POST", "/api/v1/auths/signup", "", signupForm(name, email));
    if (r.status != 200) return {{"status", r.status}, {"detail", detailOf(r)}};
    return r.json();
}

/// Repeats `probe` until it holds or one second passed (another replica polls every 250 ms).
template <typename Probe>
bool withinOneSecond(Probe probe) {
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
        if (probe()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return probe();
}

}  // namespace

TEST_CASE("live auth settings: signup, default role and token lifetime apply to the next request") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.jwt_expires_in", "1d"}});
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");

    // Signup closed by the INI: refused; opened through the API: the next signup is in.
    auto refused = trySignup(c, "Bob", "bob@example.com");
    CHECK(refused["status"] == 403);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/signup/enabled/toggle", admin)) == true);
    auto bob = trySignup(c, "Bob", "bob@example.com");
    REQUIRE(bob.contains("token"));
    CHECK(bob["role"] == "pending");

    // The default role of new signups.
    ok(owui(c, "POST", "/api/v1/auths/signup/user/role", admin, {{"role", "user"}}));
    auto carol = trySignup(c, "Carol", "carol@example.com");
    CHECK(carol["role"] == "user");

    // The lifetime of new tokens: the next sign-in's token carries it (and the one after, none).
    ok(owui(c, "POST", "/api/v1/auths/token/expires/update", admin, {{"duration", "2h"}}));
    auto session =
        ok(owui(c, "POST", "/api/v1/auths/signin", "", {{"email", "bob@example.com"}, {"password", "correct horse"}}));
    CHECK(session["expires_at"] == s.clock().nowSeconds() + 2 * 3600);
    ok(owui(c, "POST", "/api/v1/auths/token/expires/update", admin, {{"duration", "-1"}}));
    session =
        ok(owui(c, "POST", "/api/v1/auths/signin", "", {{"email", "bob@example.com"}, {"password", "correct horse"}}));
    CHECK(session["expires_at"].is_null());

    // Closed again through the whole admin form: the next signup is refused.
    ok(owui(c, "POST", "/api/v1/auths/admin/config", admin, adminForm({{"ENABLE_SIGNUP", false}})));
    CHECK(trySignup(c, "Dan", "dan@example.com")["status"] == 403);
}

TEST_CASE("live auth settings: a second replica on the same PostgreSQL decides by them within a second") {
    // Signups are not rate limited here: the probes below try one every 20 ms.
    const std::map<std::string, std::string> ini = {{"auth.jwt_expires_in", "1d"}, {"auth.signup_max_attempts", "0"}};
    auto first = std::make_unique<TestServer>(db::Driver::Postgres, ini);
    TestServer second(db::Driver::Postgres, ini, first->databaseUrl());
    auto a = first->client();
    auto b = second.client();
    std::string admin = signupToken(a, "Ada", "ada@example.com");
    CHECK(trySignup(b, "Bob", "bob@example.com")["status"] == 403);

    ok(owui(a, "POST", "/api/v1/auths/admin/config", admin,
            adminForm({{"ENABLE_SIGNUP", true}, {"DEFAULT_USER_ROLE", "user"}, {"JWT_EXPIRES_IN", "3h"}})));
    auto storedAt = std::chrono::steady_clock::now();
    nlohmann::json bob;
    CHECK(withinOneSecond([&] {
        bob = trySignup(b, "Bob", "bob@example.com");
        return bob.contains("token");
    }));
    auto seenAfterMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - storedAt).count();
    CHECK(seenAfterMs < 1000);  // run with -s to see the figure
    CHECK(bob["role"] == "user");
    CHECK(bob["expires_at"] == second.clock().nowSeconds() + 3 * 3600);

    // Survives a restart: a new process on the same database decides by the stored values.
    std::string url = first->databaseUrl();
    first.reset();
    TestServer restarted(db::Driver::Postgres, ini, url);
    auto r = restarted.client();
    auto carol = trySignup(r, "Carol", "carol@example.com");
    REQUIRE(carol.contains("token"));
    CHECK(carol["role"] == "user");
    CHECK(carol["expires_at"] == restarted.clock().nowSeconds() + 3 * 3600);

    // And a change closing signup reaches the other replica too.
    std::string adminOnR = signinToken(r, "ada@example.com");
    CHECK(ok(owui(r, "GET", "/api/v1/auths/signup/enabled/toggle", adminOnR)) == false);
    // Probed with a taken email: 400 while signup is open (decided before any hashing), 403 once closed.
    CHECK(withinOneSecond([&] { return trySignup(b, "Ada", "ada@example.com")["status"] == 403; }));
}
