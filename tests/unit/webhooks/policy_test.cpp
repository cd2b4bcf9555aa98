#include <catch2/catch.hpp>
#include <set>

#include "webhooks/retry_policy.h"

using namespace rosterd::webhooks;
using namespace std::chrono_literals;

TEST_CASE("outcomes: 2xx delivered, 408/429/5xx/no answer retried, other 4xx dead") {
    auto verdict = [](int status) { return classify(AttemptResult{status, "", false, std::nullopt}); };
    CHECK(verdict(200) == Verdict::Delivered);
    CHECK(verdict(204) == Verdict::Delivered);
    CHECK(verdict(0) == Verdict::Retry);
    CHECK(verdict(500) == Verdict::Retry);
    CHECK(verdict(503) == Verdict::Retry);
    CHECK(verdict(408) == Verdict::Retry);
    CHECK(verdict(429) == Verdict::Retry);
    CHECK(verdict(301) == Verdict::Retry);
    CHECK(verdict(400) == Verdict::Dead);
    CHECK(verdict(401) == Verdict::Dead);
    CHECK(verdict(404) == Verdict::Dead);
    CHECK(verdict(410) == Verdict::Dead);
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date") {
    std::int64_t now = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
    CHECK(parseRetryAfter("120", now) == std::optional<std::chrono::milliseconds>(120s));
    CHECK(parseRetryAfter("0", now) == std::optional<std::chrono::milliseconds>(0s));
    CHECK(parseRetryAfter("Tue, 14 Nov 2023 22:15:20 GMT", now) == std::optional<std::chrono::milliseconds>(120s));
    CHECK(parseRetryAfter("Tue, 14 Nov 2023 22:00:00 GMT", now) == std::optional<std::chrono::milliseconds>(0s));
    CHECK_FALSE(parseRetryAfter("soon", now));
    CHECK_FALSE(parseRetryAfter("-5", now));
    CHECK_FALSE(parseRetryAfter("", now));
}

TEST_CASE("backoff doubles from the initial delay up to the maximum, with at most 20% jitter") {
    WebhooksConfig c;  // defaults: 5s, up to 1h, for 3 days
    RetryPolicy p(c);
    for (int round = 0; round < 50; ++round) {
        auto d1 = p.delay(1), d2 = p.delay(2), d3 = p.delay(3), d20 = p.delay(20);
        CHECK(d1 >= 4000ms);
        CHECK(d1 <= 5000ms);
        CHECK(d2 >= 8000ms);
        CHECK(d2 <= 10000ms);
        CHECK(d3 >= 16000ms);
        CHECK(d3 <= 20000ms);
        CHECK(d20 >= 2880s);
        CHECK(d20 <= 3600s);
    }
    std::set<std::int64_t> distinct;
    for (int i = 0; i < 50; ++i) distinct.insert(p.delay(5).count());
    CHECK(distinct.size() > 1);  // jittered, not lock-step
}

TEST_CASE("the retry window ends retrying; Retry-After replaces the backoff") {
    WebhooksConfig c;
    RetryPolicy p(c);
    std::int64_t queued = 1'000'000;
    auto next = p.nextAttempt(1, queued, queued, std::nullopt);
    REQUIRE(next);
    CHECK(*next > queued);
    CHECK(p.nextAttempt(1, queued, queued, 90s) == std::optional<std::int64_t>(queued + 90'000));
    std::int64_t threeDays = 3LL * 24 * 3600 * 1000;
    CHECK_FALSE(p.nextAttempt(30, queued, queued + threeDays - 1000, std::nullopt));
    CHECK(p.nextAttempt(30, queued, queued + threeDays - 3'700'000, std::nullopt));
}
