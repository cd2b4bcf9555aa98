#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "accounts_fixture.h"
#include "common/encoding.h"
#include "support/process.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
std::string forge(const std::string& secret, const std::string& userId, const std::string& algorithm, long long exp) {
    Poco::JWT::Token t;
    t.payload().set("id", userId);
    t.setId("forged-jti");
    t.payload().set("exp", static_cast<Poco::Int64>(exp));
    Poco::JWT::Signer signer(secret);
    return signer.sign(t, algorithm);
}
}  // namespace

TEST_CASE("tokens with a bad signature, another algorithm, or none are refused") {
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    auto session = signup(c, "Ada", "ada@example.com").json();
    std::string id = session["id"];
    std::string secret = readFile(s.dataDir() + "/jwt_secret");
    while (!secret.empty() && secret.back() == '\n') secret.pop_back();
    long long exp = s.clock().nowSeconds() + 3600;
    CHECK(c.get("/api/v1/auths/", forge(secret, id, "HS256", exp)).status == 200);  // the control
    CHECK(c.get("/api/v1/auths/", forge("another secret of at least 32 bytes!!", id, "HS256", exp)).status == 401);
    CHECK(c.get("/api/v1/auths/", forge(secret, id, "HS512", exp)).status == 401);
    // alg "none": header and payload without a signature.
    std::string header = base64UrlEncode(R"({"alg":"none","typ":"JWT"})");
    std::string payload = base64UrlEncode(R"({"id":")" + id + R"(","jti":"x","exp":)" + std::to_string(exp) + "}");
    CHECK(c.get("/api/v1/auths/", header + "." + payload + ".").status == 401);
    CHECK(c.get("/api/v1/auths/", "garbage").status == 401);
    // The secret was generated with owner-only permissions.
    auto mode = runChecked({"stat", "-c", "%a", s.dataDir() + "/jwt_secret"});
    CHECK(mode.substr(0, 3) == "600");
}

TEST_CASE("tokens expire by the injected clock; -1 issues tokens that never expire") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    {
        TestServer s(driver, {{"auth.jwt_expires_in", "12h"}});
        auto c = s.client();
        auto j = signup(c, "Ada", "ada@example.com").json();
        std::string token = j["token"];
        CHECK(j["expires_at"].get<long long>() == s.clock().nowSeconds() + 12 * 3600);
        s.clock().advance(std::chrono::hours(11));
        CHECK(c.get("/api/v1/auths/", token).status == 200);
        s.clock().advance(std::chrono::hours(2));
        auto r = c.get("/api/v1/auths/", token);
        CHECK(r.status == 401);
        CHECK(detailOf(r).find("expired") != std::string::npos);
    }
    {
        TestServer s(driver, {{"auth.jwt_expires_in", "-1"}});
        auto c = s.client();
        auto j = signup(c, "Ada", "ada@example.com").json();
        CHECK(j["expires_at"].is_null());
        s.clock().advance(std::chrono::hours(24 * 365 * 5));
        CHECK(c.get("/api/v1/auths/", j["token"].get<std::string>()).status == 200);
    }
}

TEST_CASE("tokens of deleted or deactivated users are refused") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string bobId = addUser(c, admin, "Bob", "bob@example.com", "user");
    std::string carolId = addUser(c, admin, "Carol", "carol@example.com", "user");
    std::string bob = tokenOf(signin(c, "bob@example.com"));
    std::string carol = tokenOf(signin(c, "carol@example.com"));
    CHECK(c.get("/api/v1/auths/", bob).status == 200);
    REQUIRE(c.del("/api/v1/users/" + bobId, admin).status == 200);
    CHECK(c.get("/api/v1/auths/", bob).status == 401);
    s.app().store().transact(
        [&](db::Transaction& tx) { tx.exec("UPDATE users SET active = 0 WHERE id = $1", {carolId}); });
    auto r = c.get("/api/v1/auths/", carol);
    CHECK(r.status == 401);
    CHECK(detailOf(r).find("deactivated") != std::string::npos);
    CHECK(signin(c, "carol@example.com").status == 400);
}

TEST_CASE("API keys: shown once, stored hashed, accepted as Bearer, revocable") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    CHECK(c.get("/api/v1/auths/api_key", admin).json()["exists"] == false);
    auto created = c.post("/api/v1/auths/api_key", nlohmann::json::object(), admin);
    REQUIRE(created.status == 200);
    std::string key = created.json()["api_key"];
    CHECK(key.rfind("sk-", 0) == 0);
    CHECK(c.get("/api/v1/auths/api_key", admin).json()["exists"] == true);
    auto stored =
        s.app().store().transact([](db::Transaction& tx) { return tx.exec("SELECT key_hash FROM api_keys"); });
    REQUIRE(stored.size() == 1);
    CHECK(stored.front().str(0) != key);
    CHECK(stored.front().str(0) == hexEncode(sha256(key)));
    CHECK(c.get("/api/v1/users/", key).status == 200);
    REQUIRE(c.del("/api/v1/auths/api_key", admin).status == 200);
    CHECK(c.get("/api/v1/users/", key).status == 401);
}

TEST_CASE("last_active_at is written at most once a minute") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    auto j = signup(c, "Ada", "ada@example.com").json();
    std::string token = j["token"], id = j["id"];
    auto lastActive = [&] {
        return s.app().store().transact([&](db::Transaction& tx) {
            return tx.exec("SELECT last_active_at FROM users WHERE id = $1", {id}).front().i64(0);
        });
    };
    std::int64_t t0 = lastActive();
    s.clock().advance(std::chrono::seconds(30));
    c.get("/api/v1/auths/", token);
    CHECK(lastActive() == t0);
    s.clock().advance(std::chrono::seconds(31));
    c.get("/api/v1/auths/", token);
    CHECK(lastActive() == s.clock().nowSeconds());
}
