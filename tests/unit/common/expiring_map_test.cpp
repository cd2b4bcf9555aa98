#include "common/expiring_map.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>

using namespace std::chrono_literals;
using rosterd::ExpiringMap;

namespace {
// Wall and monotonic time apart, as on a host whose clock is set (NTP step, VM restore).
class SettableWallClock final : public rosterd::Clock {
public:
    std::int64_t nowSeconds() const override { return wallMillis / 1000; }
    std::int64_t nowMillis() const override { return wallMillis; }
    std::chrono::steady_clock::time_point steadyNow() const override {
        return std::chrono::steady_clock::time_point(std::chrono::milliseconds(steadyMillis));
    }
    std::int64_t wallMillis = 1'700'000'000'000;
    std::int64_t steadyMillis = 5'000;
};
}  // namespace

TEST_CASE("an expiring map keeps a value for its ttl") {
    SettableWallClock clock;
    ExpiringMap<std::string> map(clock, 60s, 10);
    map.put("alice", "uid=alice");
    clock.steadyMillis += 59'999;
    CHECK(map.find("alice") == "uid=alice");
    clock.steadyMillis += 1;
    CHECK_FALSE(map.find("alice"));
}

TEST_CASE("an expiring map's values expire on time when the wall clock is set back") {
    SettableWallClock clock;
    ExpiringMap<std::string> map(clock, 60s, 10);
    map.put("alice", "uid=alice");
    clock.wallMillis -= 6 * 3600 * 1000;  // set back six hours
    clock.steadyMillis += 61'000;
    CHECK_FALSE(map.find("alice"));
}

TEST_CASE("an expiring map with a zero ttl keeps nothing") {
    SettableWallClock clock;
    ExpiringMap<std::string> map(clock, 0s, 10);
    map.put("alice", "uid=alice");
    CHECK_FALSE(map.find("alice"));
    CHECK(map.size() == 0);
}
