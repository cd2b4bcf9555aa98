// The sign-in policy's pure decisions and the limiter's check-and-count.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "accounts/rate_limiter.h"
#include "accounts/sign_in_policy.h"

using namespace rosterd;
using namespace rosterd::accounts;

TEST_CASE("login names are counted trimmed and case-folded") {
    CHECK(normalizeLoginName("Alan.turinG") == "alan.turing");
    CHECK(normalizeLoginName(" \talan.turing \t") == "alan.turing");
    CHECK(normalizeLoginName("   ").empty());
    CHECK(normalizeLoginName("a b") == "a b");  // inner spaces are the directory's business
}

TEST_CASE("link decision: never an admin, the primary admin above all; a password user only when allowed") {
    User u;
    u.role = accounts::Role::User;
    CHECK_FALSE(linkRefusal(u));  // never signed in with a password
    u.passwordSigninAt = 100;
    REQUIRE(linkRefusal(u));
    CHECK(linkRefusal(u)->find("local password") != std::string::npos);
    u.directoryLinkAllowed = true;
    CHECK_FALSE(linkRefusal(u));
    u.role = accounts::Role::Admin;
    CHECK(linkRefusal(u)->find("admin") != std::string::npos);  // allowed or not
    u.isPrimary = true;
    CHECK(linkRefusal(u)->find("primary admin") != std::string::npos);
}

TEST_CASE("sign-in refusal: deactivated accounts only (pending may sign in)") {
    User u;
    u.role = accounts::Role::Pending;
    CHECK_FALSE(signInRefusal(u));
    u.active = false;
    CHECK(signInRefusal(u));
}

TEST_CASE("the limiter's acquire checks and counts in one step") {
    ManualClock clock;
    RateLimiter limiter(5, std::chrono::minutes(3), clock);
    std::atomic<int> passed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 40; ++i)
        threads.emplace_back([&] {
            if (limiter.acquire("account:alice", {"address:1"}) == 0) ++passed;
        });
    for (auto& t : threads) t.join();
    CHECK(passed == 5);
    CHECK(limiter.acquire("account:alice") == 180);
    limiter.release("account:alice");
    CHECK(limiter.acquire("account:alice") == 0);
    // A checked key at its limit refuses without counting on the counted one.
    for (int i = 0; i < 5; ++i) limiter.recordFailure("address:2");
    CHECK(limiter.acquire("account:bob", {"address:2"}) > 0);
    CHECK(limiter.acquire("account:bob") == 0);
    RateLimiter off(0, std::chrono::minutes(3), clock);
    for (int i = 0; i < 100; ++i) CHECK(off.acquire("k") == 0);
}
