// JWT key rotation: `rosterd keys rotate` makes a new current key and keeps the old one as the
// previous key; after a reload new tokens name the new key, tokens signed before keep working until
// the previous key retires, and a token naming an unknown or dropped key is refused.
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "accounts/signing_keys.h"
#include "accounts_fixture.h"
#include "common/encoding.h"
#include "support/process.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::string keyIn(const std::string& path) {
    std::string s = readFile(path);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

std::string kidOf(const std::string& token) {
    Poco::JWT::Token parsed(token);
    return parsed.header().has("kid") ? parsed.header().getValue<std::string>("kid") : "";
}

/// A token for `userId` signed with `key`, naming `kid` when not empty, valid for `seconds`.
std::string forgeWithKid(const std::string& key, const std::string& kid, const std::string& userId, std::int64_t exp) {
    Poco::JWT::Token t;
    if (!kid.empty()) t.header().set("kid", kid);
    t.payload().set("id", userId);
    t.setId("forged-" + kid);
    t.payload().set("exp", static_cast<Poco::Int64>(exp));
    return Poco::JWT::Signer(key).sign(t, Poco::JWT::Signer::ALGO_HS256);
}

/// `rosterd keys rotate --key-file FILE`; returns its output.
std::string rotate(const std::string& keyFile) {
    auto r = runCommand({ROSTERD_BINARY, "keys", "rotate", "--key-file", keyFile});
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    return r.output;
}

bool accepted(const HttpClient& c, const std::string& token) { return c.get("/api/v1/auths/", token).status == 200; }

}  // namespace

TEST_CASE("after keys rotate and a reload, old tokens keep working and new tokens name the new key") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.jwt_expires_in", "1h"}});
    auto c = s.client();
    const std::string keyFile = s.dataDir() + "/jwt_secret";
    auto session = signup(c, "Ada", "ada@example.com").json();
    const std::string before = session["token"], id = session["id"];
    const std::string firstKey = keyIn(keyFile);
    CHECK(kidOf(before) == accounts::keyIdOf(firstKey));

    std::string out = rotate(keyFile);
    const std::string secondKey = keyIn(keyFile);
    REQUIRE(secondKey != firstKey);
    CHECK(keyIn(keyFile + ".previous") == firstKey);
    CHECK(out.find("new JWT key " + accounts::keyIdOf(secondKey)) != std::string::npos);
    CHECK(out.find("systemctl reload rosterd") != std::string::npos);
    CHECK(runChecked({"stat", "-c", "%a", keyFile, keyFile + ".previous"}) == "600\n600\n");
    // Until the reload the daemon signs with the key it runs with.
    CHECK(kidOf(tokenOf(signin(c, "ada@example.com"))) == accounts::keyIdOf(firstKey));

    REQUIRE(s.app().reload(*s.app().config()));
    CHECK(accepted(c, before));
    const std::string after = tokenOf(signin(c, "ada@example.com"));
    CHECK(kidOf(after) == accounts::keyIdOf(secondKey));
    CHECK(accepted(c, after));
    // A token without kid (issued before tokens named their key) is tried with both keys.
    const std::int64_t exp = s.clock().nowSeconds() + 600;
    CHECK(accepted(c, forgeWithKid(firstKey, "", id, exp)));
    CHECK(accepted(c, forgeWithKid(secondKey, "", id, exp)));

    SECTION("a token naming an unknown key, or a key other than the one that signed it, is refused") {
        auto unknown = c.get("/api/v1/auths/", forgeWithKid(secondKey, "0123456789abcdef", id, exp));
        CHECK(unknown.status == 401);
        CHECK(detailOf(unknown).find("unknown key") != std::string::npos);
        CHECK_FALSE(accepted(c, forgeWithKid("a key nobody configured, 32 bytes or more", "", id, exp)));
        // The header of a valid token with its kid changed to the other key's.
        auto dot = after.find('.');
        std::string tamperedHeader =
            base64UrlEncode(R"({"alg":"HS256","kid":")" + accounts::keyIdOf(firstKey) + R"(","typ":"JWT"})");
        CHECK_FALSE(accepted(c, tamperedHeader + after.substr(dot)));
        CHECK_FALSE(accepted(c, forgeWithKid(firstKey, accounts::keyIdOf(secondKey), id, exp)));
    }
    SECTION("rotating again drops the first key: its tokens are refused, the second key's still work") {
        rotate(keyFile);
        REQUIRE(s.app().reload(*s.app().config()));
        CHECK(keyIn(keyFile + ".previous") == secondKey);
        CHECK_FALSE(accepted(c, before));
        CHECK_FALSE(accepted(c, forgeWithKid(firstKey, "", id, exp)));
        CHECK(accepted(c, after));
        CHECK(kidOf(tokenOf(signin(c, "ada@example.com"))) == accounts::keyIdOf(keyIn(keyFile)));
    }
}

TEST_CASE("the previous key is refused once jwt_expires_in has passed since the first replica loaded it") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.jwt_expires_in", "1h"}});
    auto c = s.client();
    const std::string keyFile = s.dataDir() + "/jwt_secret";
    const std::string id = signup(c, "Ada", "ada@example.com").json()["id"];
    const std::string firstKey = keyIn(keyFile);
    rotate(keyFile);
    REQUIRE(s.app().reload(*s.app().config()));
    const std::int64_t rotatedAt = s.clock().nowSeconds();
    auto stored = s.app().store().transact([&](db::Transaction& tx) {
        return tx.exec("SELECT retired_at, purpose FROM retired_signing_keys WHERE kid = $1",
                       {accounts::keyIdOf(firstKey)});
    });
    REQUIRE(stored.size() == 1);
    CHECK(stored.front().i64(0) == rotatedAt);
    CHECK(stored.front().str(1) == "jwt");

    // A token the previous key signs with a far expiry, as whoever holds that key could.
    const std::string longLived = forgeWithKid(firstKey, accounts::keyIdOf(firstKey), id, rotatedAt + 24 * 3600);
    s.clock().advance(std::chrono::minutes(59));
    CHECK(accepted(c, longLived));
    // A later reload (or another replica starting) keeps the time first recorded.
    REQUIRE(s.app().reload(*s.app().config()));
    s.clock().advance(std::chrono::minutes(2));
    auto r = c.get("/api/v1/auths/", longLived);
    CHECK(r.status == 401);
    CHECK(detailOf(r).find("retired key") != std::string::npos);
    CHECK(accepted(c, tokenOf(signin(c, "ada@example.com"))));  // the current key is unaffected
}

TEST_CASE("keys rotate refuses what it cannot rotate, and a usage error exits 64") {
    std::string dir = makeTempDir("rosterd-keys");
    auto missing = runCommand({ROSTERD_BINARY, "keys", "rotate", "--key-file", dir + "/absent"});
    CHECK(missing.exitCode == 1);
    CHECK(missing.output.find("there is no key to rotate") != std::string::npos);
    CHECK(runCommand({ROSTERD_BINARY, "keys", "rotate", "--bogus"}).exitCode == 64);
}
