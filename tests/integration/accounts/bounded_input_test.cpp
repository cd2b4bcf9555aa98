// Hostile request bodies: deep JSON, permissions out of shape, control characters in text fields,
// profile image URLs, Unicode email case, and what reaches the log. Both drivers.
#include "accounts_fixture.h"
#include "support/log_capture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// `levels` objects nested inside `prefix`, e.g. {"workspace":{"a":{"a":...true...}}}.
std::string deepBody(const std::string& prefix, int levels) {
    std::string s = prefix;
    for (int i = 0; i < levels; ++i) s += "{\"a\":";
    s += "true";
    for (int i = 0; i < levels; ++i) s += "}";
    for (char c : prefix)
        if (c == '{') s += "}";
    return s;
}

}  // namespace

TEST_CASE("bodies nested deeper than 32 levels are refused with 400 before any walk") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    for (int levels : {40, 20000, 150000}) {
        auto r = c.request("POST", "/api/v1/users/default/permissions", deepBody("{\"workspace\":", levels), admin);
        CHECK(r.status == 400);
        CHECK(detailOf(r) == "JSON nested deeper than 32 levels");
        r = c.request("POST", "/api/v1/groups/create", deepBody("{\"name\":\"g\",\"permissions\":", levels), admin);
        CHECK(r.status == 400);
        CHECK(detailOf(r) == "JSON nested deeper than 32 levels");
    }
    // Unbalanced brackets by the megabyte: refused the same way, and the server still answers.
    auto r = c.request("POST", "/api/v1/auths/signin", std::string(1'000'000, '['));
    CHECK(r.status == 400);
    CHECK(c.get("/healthz").status == 200);
    CHECK(c.get("/api/v1/auths/", admin).status == 200);
}

TEST_CASE("permissions have Open WebUI's shape: whole default tree, unknown paths refused") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"permissions.workspace.models", "true"}, {"permissions.chat.controls", "false"}});
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    addUser(c, admin, "Bob", "bob@example.com", "user");
    std::string bob = tokenOf(signin(c, "bob@example.com"));

    auto d = c.get("/api/v1/users/default/permissions", admin).json();
    for (const char* section : {"workspace", "sharing", "chat", "features", "ui"}) CHECK(d[section].is_object());
    CHECK(d["workspace"]["models"] == true);  // configured
    CHECK(d["workspace"]["tools"] == false);  // Open WebUI's default
    CHECK(d["chat"]["controls"] == false);    // configured
    CHECK(d["chat"]["file_upload"] == true);  // Open WebUI's default
    CHECK(d["ui"]["interface_settings"] == true);

    // A plain user's session carries the whole tree, so the UI keeps its features.
    auto me = c.get("/api/v1/auths/", bob).json()["permissions"];
    CHECK(me["features"]["web_search"] == true);
    CHECK(me["chat"]["temporary"] == true);
    CHECK(me["chat"]["controls"] == false);

    auto r = c.post("/api/v1/users/default/permissions", {{"chat", {{"no_such_thing", true}}}}, admin);
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("chat.no_such_thing") != std::string::npos);
    r = c.post("/api/v1/users/default/permissions", {{"chat", {{"delete", {{"nested", true}}}}}}, admin);
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("chat.delete") != std::string::npos);
    r = c.post("/api/v1/groups/create", {{"name", "g"}, {"permissions", {{"bogus", {{"a", true}}}}}}, admin);
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("bogus") != std::string::npos);
}

TEST_CASE("stored permissions out of shape are read leniently") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string bobId = addUser(c, admin, "Bob", "bob@example.com", "user");
    std::string bob = tokenOf(signin(c, "bob@example.com"));
    auto g = c.post("/api/v1/groups/create", {{"name", "g"}}, admin);
    REQUIRE(g.status == 200);
    std::string groupId = g.json()["id"];
    REQUIRE(c.post("/api/v1/groups/id/" + groupId + "/update", {{"user_ids", {bobId}}}, admin).status == 200);

    // Rows written before the shape existed: a tree 20,000 deep and unknown keys.
    std::string deep = deepBody("{\"workspace\":", 20000);
    s.app().store().transact([&](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO settings (key, value, updated_at) VALUES ('default_permissions', $1, 0) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {deep});
        tx.exec("UPDATE groups SET permissions = $1 WHERE id = $2",
                {std::string(R"({"workspace":{"tools":true,"x":{"y":{"z":true}}},"junk":[1,2]})"), groupId});
    });
    auto r = c.get("/api/v1/auths/", bob);
    REQUIRE(r.status == 200);
    auto p = r.json()["permissions"];
    CHECK(p["workspace"]["tools"] == true);  // what fits is kept
    CHECK_FALSE(p["workspace"].contains("x"));
    CHECK_FALSE(p.contains("junk"));
    CHECK(p["chat"]["controls"] == true);  // the deep defaults row reads as no change
    CHECK(r.body.size() < 4096);
    auto group = c.get("/api/v1/groups/id/" + groupId, admin);
    REQUIRE(group.status == 200);
    CHECK(group.json()["permissions"] == nlohmann::json({{"workspace", {{"tools", true}}}}));
}

TEST_CASE("text fields refuse control characters and count characters, not bytes") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    auto r = c.post("/api/v1/auths/update/profile", {{"name", std::string("Ada\0Evil", 8)}}, admin);
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("control characters") != std::string::npos);
    CHECK(c.post("/api/v1/auths/update/profile", {{"name", "Ada\x1b[2J"}}, admin).status == 400);
    CHECK(c.post("/api/v1/auths/update/profile", {{"name", "Ada\nForged"}}, admin).status == 400);
    CHECK(c.request("POST", "/api/v1/auths/update/profile", "{\"name\":\"Ada\xff\"}", admin).status == 400);
    std::string e255;
    for (int i = 0; i < 255; ++i) e255 += "\xC3\xA9";  // 255 characters in 510 bytes
    CHECK(c.post("/api/v1/auths/update/profile", {{"name", e255}}, admin).status == 200);
    r = c.post("/api/v1/auths/update/profile", {{"name", e255 + "x"}}, admin);
    CHECK(r.status == 400);
    CHECK(detailOf(r).find("255 characters") != std::string::npos);
    CHECK(c.post("/api/v1/groups/create", {{"name", "G\x07"}}, admin).status == 400);
    CHECK(c.post("/api/v1/groups/create", {{"name", "G"}, {"description", std::string("a\0b", 3)}}, admin).status ==
          400);
    CHECK(c.post("/api/v1/groups/create", {{"name", "G"}, {"description", "two\nlines"}}, admin).status == 200);
    CHECK(c.get("/api/v1/users/all", admin).json().dump().find("\\u0000") == std::string::npos);
}

TEST_CASE("profile_image_url takes http(s), bounded data:image or /user.png only") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"}});
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string bobId = addUser(c, admin, "Bob", "bob@example.com", "user");
    auto set = [&](const std::string& url) {
        return c.post("/api/v1/auths/update/profile", {{"profile_image_url", url}}, admin).status;
    };
    CHECK(set("javascript:alert(document.cookie)") == 400);
    CHECK(set("https://example.com/" + std::string(900 * 1024, 'a')) == 400);
    CHECK(set("data:image/png;base64," + std::string(900 * 1024, 'A')) == 400);
    CHECK(set("data:text/html;base64,PHNjcmlwdD4=") == 400);
    CHECK(set("https://cdn.example.com/ada.png") == 200);
    CHECK(set("data:image/png;base64,iVBORw0KGgo=") == 200);
    CHECK(set("/user.png") == 200);
    CHECK(c.post("/api/v1/users/" + bobId + "/update", {{"profile_image_url", "javascript:x"}}, admin).status == 400);
    CHECK(c.post("/api/v1/auths/signup", {{"name", "Eve"},
                                          {"email", "eve@example.com"},
                                          {"password", "correct horse"},
                                          {"profile_image_url", "javascript:x"}})
              .status == 400);
}

TEST_CASE("emails that differ only in Unicode case are one account") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"}});
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    REQUIRE(signup(c, "\xC3\x89mile", "\xC3\x89mile@example.org").status == 200);  // Émile@
    auto r = signup(c, "emile", "\xC3\xA9mile@example.org");                       // émile@
    CHECK(r.status == 400);
    CHECK(detailOf(r) == "Email taken");
    r = c.post("/api/v1/users/create",
               {{"name", "E"}, {"email", "E\xCC\x81MILE@EXAMPLE.ORG"}, {"password", "correct horse"}, {"role", "user"}},
               admin);  // decomposed É, upper case
    CHECK(r.status == 400);
    CHECK(signin(c, "\xC3\xA9MILE@example.org").status == 200);
    auto all = c.get("/api/v1/users/all", admin).json();
    int matches = 0;
    for (const auto& u : all["users"])
        if (u["email"] == "\xC3\xA9mile@example.org") ++matches;
    CHECK(matches == 1);
}

TEST_CASE("outside values reach the log escaped and capped") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    REQUIRE(signup(c, "Ada", "ada@example.com").status == 200);
    LogCapture capture;
    CHECK(signin(c, "mallory\n[info] forged: admin signed in\x1b[2J").status != 200);
    CHECK(signin(c, std::string(900 * 1024, 'm')).status != 200);
    std::string log = capture.text();
    INFO(log);
    CHECK(log.find("mallory\\n[info] forged: admin signed in\\x1b[2J") != std::string::npos);
    CHECK(log.find("\n[info] forged") == std::string::npos);
    CHECK(log.find('\x1b') == std::string::npos);
    CHECK(log.find("(+" + std::to_string(900 * 1024 - 256) + " bytes)") != std::string::npos);
    CHECK(log.size() < 16 * 1024);
}
