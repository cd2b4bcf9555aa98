// Directory sign-in must not tell which login names exist: an unknown name and a wrong password
// get the same status and body, and take alike long. The directory reads for a refusal must not
// depend on the entry: here the entry is heavy (many name values), so reading what it says before
// the password is proven would show in the timing. With [ldap] login_dn_cache, a name that just
// signed in (kept) must not answer a wrong password faster than an unknown name either.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return (v[v.size() / 2] + v[(v.size() - 1) / 2]) / 2;
}

SlapdOptions aliceDirectory() {
    return {.ldif = peopleAndGroupsLdif({{"alice", "Alice Archer", "alice@example.com", "alice-pw"}}, {})};
}

// Gives alice 3,000 extra cn values.
void makeAliceHeavy(SlapdServer& slapd) {
    std::string heavy = "dn: " + userDn("alice") + "\nchangetype: modify\nadd: cn\n";
    for (int i = 0; i < 3000; ++i)
        heavy += "cn: Alice Archer, also known under the name number " + std::to_string(i) + "\n";
    slapd.modify(heavy);
}

// Times wrong-password sign-ins as alice against sign-ins as the unknown mallory, interleaved so
// load on the machine falls on both alike; `beforeEach` runs (untimed) before every pair.
void checkRefusalsAlike(TestServer& server, const std::function<void(const HttpClient&)>& beforeEach) {
    auto c = server.client();
    auto login = [&](const std::string& user) {
        return c.post("/api/v1/auths/ldap", {{"user", user}, {"password", "wrong password"}});
    };
    REQUIRE(c.post("/api/v1/auths/ldap", {{"user", "alice"}, {"password", "alice-pw"}}).status == 200);
    for (int i = 0; i < 5; ++i) login("alice"), login("mallory");  // warm both paths' connections

    constexpr int kTries = 60;
    std::vector<double> wrong, unknown;
    HttpResult lastWrong, lastUnknown;
    auto timed = [&](const std::string& user, std::vector<double>& into, HttpResult& last) {
        const auto t0 = std::chrono::steady_clock::now();
        last = login(user);
        into.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    };
    for (int i = 0; i < kTries; ++i) {
        beforeEach(c);
        if (i % 2) {
            timed("alice", wrong, lastWrong);
            timed("mallory", unknown, lastUnknown);
        } else {
            timed("mallory", unknown, lastUnknown);
            timed("alice", wrong, lastWrong);
        }
    }
    CHECK(lastWrong.status == 400);
    CHECK(lastUnknown.status == lastWrong.status);
    CHECK(lastUnknown.body == lastWrong.body);
    const double w = median(wrong), u = median(unknown);
    INFO("median wrong password " << w << " us, unknown name " << u << " us");
    CHECK(std::max(w, u) <= 1.25 * std::min(w, u));
}

}  // namespace

TEST_CASE("ldap login: an unknown name and a wrong password answer alike, in alike time") {
    SlapdServer slapd(aliceDirectory());
    makeAliceHeavy(slapd);
    TestServer server(db::Driver::Sqlite, slapdSettings(slapd, {{"auth.signin_max_attempts", "0"}}));
    checkRefusalsAlike(server, [](const HttpClient&) {});
}

TEST_CASE("ldap login: with login_dn_cache, a kept name's wrong password takes as long as an unknown name") {
    SlapdServer slapd(aliceDirectory());
    makeAliceHeavy(slapd);
    TestServer server(db::Driver::Sqlite,
                      slapdSettings(slapd, {{"auth.signin_max_attempts", "0"}, {"ldap.login_dn_cache", "1h"}}));
    // alice signs in before every pair, so her name is kept when her wrong password is timed.
    checkRefusalsAlike(server, [](const HttpClient& c) {
        REQUIRE(c.post("/api/v1/auths/ldap", {{"user", "alice"}, {"password", "alice-pw"}}).status == 200);
    });
}
