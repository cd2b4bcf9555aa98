#include <catch2/catch.hpp>

#include "accounts/password_hasher.h"
#include "accounts/permissions.h"
#include "accounts/rate_limiter.h"
#include "accounts/validation.h"
#include "common/errors.h"

using namespace rosterd;
using namespace rosterd::accounts;

TEST_CASE("permissions merge: true in any source wins, nesting preserved") {
    nlohmann::json a = {{"workspace", {{"models", false}, {"tools", true}}}, {"chat", {{"delete", false}}}};
    mergePermissions(a, {{"workspace", {{"models", true}}}, {"chat", {{"delete", false}, {"export", true}}}});
    CHECK(a["workspace"]["models"] == true);
    CHECK(a["workspace"]["tools"] == true);
    CHECK(a["chat"]["delete"] == false);
    CHECK(a["chat"]["export"] == true);
    CHECK(grantAll(a)["chat"]["delete"] == true);
    CHECK_NOTHROW(validatePermissions(a));
    CHECK_THROWS_AS(validatePermissions({{"chat", 1}}), InvalidInput);
    CHECK_THROWS_AS(validatePermissions(nlohmann::json::array()), InvalidInput);
}

TEST_CASE("the rate limiter counts failures in a sliding window of the injected clock") {
    ManualClock clock;
    RateLimiter limiter(3, std::chrono::minutes(3), clock);
    for (int i = 0; i < 3; ++i) {
        CHECK(limiter.retryAfter("k") == 0);
        limiter.recordFailure("k");
        clock.advance(std::chrono::seconds(10));
    }
    CHECK(limiter.retryAfter("k") == 150);  // the oldest failure (t=0) leaves the window at t=180; now t=30
    CHECK(limiter.retryAfter("other") == 0);
    clock.advance(std::chrono::seconds(150));
    CHECK(limiter.retryAfter("k") == 0);
    limiter.recordFailure("k");
    limiter.reset("k");
    CHECK(limiter.retryAfter("k") == 0);
    RateLimiter off(0, std::chrono::minutes(3), clock);
    for (int i = 0; i < 100; ++i) off.recordFailure("k");
    CHECK(off.retryAfter("k") == 0);
}

TEST_CASE("email and password validation") {
    CHECK(normalizeEmail("  Ada@Example.COM ") == "ada@example.com");
    for (const char* bad :
         {"", "ada", "@example.com", "ada@", "ada@example", "a b@example.com", "a@b@example.com", "ada@example..com"})
        CHECK_THROWS_AS(normalizeEmail(bad), InvalidInput);
    CHECK_NOTHROW(validatePassword("12345678", 8));
    CHECK_THROWS_WITH(validatePassword("1234567", 8), Catch::Contains("at least 8"));
    CHECK_THROWS_WITH(validatePassword(std::string(73, 'a'), 8), Catch::Contains("72"));
    CHECK_NOTHROW(validatePassword(std::string(72, 'a'), 8));
}

TEST_CASE("bcrypt hashes are $2b$ at the configured cost and verify") {
    PasswordHasher h(5);
    std::string hash = h.hash("correct horse");
    CHECK(hash.rfind("$2b$05$", 0) == 0);
    CHECK(h.verify("correct horse", hash));
    CHECK_FALSE(h.verify("correct horsf", hash));
    CHECK_FALSE(h.verify("correct horse", "not a hash"));
    CHECK(h.hash("correct horse") != hash);  // salted
    // Over 72 bytes is refused rather than silently truncated.
    CHECK_THROWS_AS(h.hash(std::string(73, 'a')), InvalidInput);
    CHECK_FALSE(h.verify(std::string(72, 'a') + "b", h.hash(std::string(72, 'a'))));
}
