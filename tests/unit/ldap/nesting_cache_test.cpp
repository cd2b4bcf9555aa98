// The nesting cache keeps an answer for its ttl on the injected clock, never when off, and stays
// within its capacity.
#include "ldap/nesting_cache.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using rosterd::ManualClock;
using rosterd::ldap::Entry;
using rosterd::ldap::NestingCache;

namespace {

std::vector<Entry> groups(const std::string& dn) { return {Entry{dn, {{"cn", {"admins"}}}}}; }

}  // namespace

TEST_CASE("nesting cache: an answer is kept for the ttl, then asked again") {
    ManualClock clock;
    NestingCache cache(clock, 60s);
    CHECK_FALSE(cache.find("(member=cn=ops)"));
    cache.put("(member=cn=ops)", groups("cn=admins"));
    auto hit = cache.find("(member=cn=ops)");
    REQUIRE(hit);
    REQUIRE(hit->size() == 1);
    CHECK((*hit)[0].dn == "cn=admins");
    CHECK((*hit)[0].first("cn") == "admins");
    CHECK_FALSE(cache.find("(member=cn=other)"));
    clock.advance(59'999ms);
    CHECK(cache.find("(member=cn=ops)"));
    clock.advance(1ms);
    CHECK_FALSE(cache.find("(member=cn=ops)"));
    // An empty answer (no group holds these) is an answer too.
    cache.put("(member=cn=top)", {});
    auto none = cache.find("(member=cn=top)");
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("nesting cache: a ttl of 0 keeps nothing") {
    ManualClock clock;
    NestingCache cache(clock, 0ms);
    CHECK_FALSE(cache.enabled());
    cache.put("(member=cn=ops)", groups("cn=admins"));
    CHECK_FALSE(cache.find("(member=cn=ops)"));
    CHECK(cache.size() == 0);
}

TEST_CASE("nesting cache: a full cache drops expired answers first, and never grows past its capacity") {
    ManualClock clock;
    NestingCache cache(clock, 10s, 3);
    cache.put("a", groups("cn=a"));
    cache.put("b", groups("cn=b"));
    clock.advance(11s);
    cache.put("c", groups("cn=c"));
    cache.put("d", groups("cn=d"));  // full: a and b expired and go
    CHECK(cache.size() == 2);
    CHECK(cache.find("c"));
    cache.put("e", groups("cn=e"));
    cache.put("f", groups("cn=f"));  // full of fresh answers: starts over
    CHECK(cache.size() <= 3);
    CHECK(cache.find("f"));
    cache.put("f", groups("cn=f2"));  // replacing an answer never empties the cache
    CHECK(cache.find("f")->front().dn == "cn=f2");
}

TEST_CASE("nesting cache: a very long filter or a very large answer is not kept") {
    ManualClock clock;
    NestingCache cache(clock, 60s);
    const std::string longFilter(NestingCache::kMaxFilterBytes + 1, 'x');
    cache.put(longFilter, groups("cn=a"));
    CHECK_FALSE(cache.find(longFilter));
    std::vector<Entry> many(NestingCache::kMaxGroups + 1, Entry{"cn=g", {}});
    cache.put("(member=cn=big)", many);
    CHECK_FALSE(cache.find("(member=cn=big)"));
    cache.put(std::string(NestingCache::kMaxFilterBytes, 'y'), groups("cn=b"));
    CHECK(cache.find(std::string(NestingCache::kMaxFilterBytes, 'y')));
    CHECK(cache.size() == 1);
}
