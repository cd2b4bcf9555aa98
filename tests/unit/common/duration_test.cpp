#include "common/duration.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using rosterd::parseDuration;

TEST_CASE("durations parse with units") {
    CHECK(parseDuration("10s") == 10s);
    CHECK(parseDuration("15m") == 15min);
    CHECK(parseDuration("12h") == 12h);
    CHECK(parseDuration("4w") == std::chrono::hours(24 * 28));
    CHECK(parseDuration("30d") == std::chrono::hours(24 * 30));
    CHECK(parseDuration("250ms") == 250ms);
    CHECK(parseDuration("90") == 90s);
    CHECK(parseDuration("0") == 0s);
    CHECK(parseDuration("-1") < 0ms);
}

TEST_CASE("malformed durations are refused with a reason") {
    CHECK_THROWS_WITH(parseDuration("soon"), Catch::Contains("not a duration"));
    CHECK_THROWS_WITH(parseDuration("5y"), Catch::Contains("unknown unit"));
    CHECK_THROWS(parseDuration(""));
    CHECK_THROWS(parseDuration("-5s"));
    CHECK_THROWS_WITH(parseDuration("9223372036854775807w"), Catch::Contains("longer than 100 years"));
    CHECK(parseDuration("5200w") == std::chrono::hours(24 * 7 * 5200));  // 99.7 years: still a duration
    CHECK_THROWS_WITH(parseDuration("36601d"), Catch::Contains("longer than 100 years"));
}

TEST_CASE("durations format in their largest whole unit") {
    CHECK(rosterd::formatDuration(3600s) == "1h");
    CHECK(rosterd::formatDuration(90s) == "90s");
    CHECK(rosterd::formatDuration(1500ms) == "1500ms");
}
