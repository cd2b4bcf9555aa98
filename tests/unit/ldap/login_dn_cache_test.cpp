// The login DN cache keeps a name's DN for its ttl on the injected clock, never when off, drops a
// name when told, and keeps no oversized name or DN.
#include "ldap/login_dn_cache.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using rosterd::ManualClock;
using rosterd::ldap::LoginDnCache;

TEST_CASE("login dn cache: a name's DN is kept for the ttl, and dropped when told") {
    ManualClock clock;
    LoginDnCache cache(clock, 60s);
    CHECK_FALSE(cache.find("ann"));
    cache.put("ann", "uid=ann,ou=people");
    CHECK(cache.find("ann") == "uid=ann,ou=people");
    CHECK_FALSE(cache.find("Ann"));  // the name as it was typed
    clock.advance(59'999ms);
    CHECK(cache.find("ann"));
    clock.advance(1ms);
    CHECK_FALSE(cache.find("ann"));
    cache.put("ann", "uid=ann,ou=people");
    cache.drop("ann");
    CHECK_FALSE(cache.find("ann"));
    CHECK(cache.size() == 0);
}

TEST_CASE("login dn cache: off keeps nothing; an oversized name or DN is not kept") {
    ManualClock clock;
    LoginDnCache off(clock, 0ms);
    off.put("ann", "uid=ann,ou=people");
    CHECK_FALSE(off.find("ann"));
    LoginDnCache cache(clock, 60s);
    const std::string longName(LoginDnCache::kMaxBytes + 1, 'a');
    cache.put(longName, "uid=a");
    cache.put("bob", "uid=" + std::string(LoginDnCache::kMaxBytes, 'b'));
    CHECK(cache.size() == 0);
    cache.put(std::string(LoginDnCache::kMaxBytes, 'c'), "uid=c");
    CHECK(cache.size() == 1);
}
