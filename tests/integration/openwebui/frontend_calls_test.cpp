// The rest of Open WebUI's frontend functions (src/lib/apis/{auths,users,groups}): the account
// page (API key, profile, password), the users page (user shapes, pictures) and the groups page,
// replayed as the frontend sends them, checking the fields its pages read.
#include "common/encoding.h"
#include "daemon/static_files.h"
#include "openwebui_fixture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("openwebui: the account page's API key (createAPIKey, getAPIKey, deleteAPIKey) shows the masked key") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");

    auto none = ok(owui(c, "GET", "/api/v1/auths/api_key", admin));
    CHECK(none["api_key"].is_null());  // getAPIKey returns res.api_key: nothing to show
    std::string key = ok(owui(c, "POST", "/api/v1/auths/api_key", admin))["api_key"];
    REQUIRE(key.rfind("sk-", 0) == 0);
    auto shown = ok(owui(c, "GET", "/api/v1/auths/api_key", admin));
    CHECK(shown["api_key"] == key.substr(0, 7) + "..." + key.substr(key.size() - 4));
    CHECK(shown["exists"] == true);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/", key))["email"] == "ada@example.com");  // the key works
    // Only a hash and the masked form are stored: the key itself is nowhere in the database.
    auto stored = s.app().store().transact([](db::Transaction& tx) {
        auto rs = tx.exec("SELECT key_hash, display FROM api_keys");
        return std::pair{rs.front().str(0), rs.front().str(1)};
    });
    CHECK(stored.first != key);
    CHECK(stored.first.find(key.substr(3)) == std::string::npos);
    CHECK(stored.second == shown["api_key"].get<std::string>());

    CHECK(ok(owui(c, "DELETE", "/api/v1/auths/api_key", admin)) == true);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/api_key", admin))["api_key"].is_null());
    CHECK(owui(c, "GET", "/api/v1/auths/", key).status == 401);
}

TEST_CASE("openwebui: users carry oauth_sub, settings, info and /user.png (getUsers, updateUserById, ...)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    auto bob =
        ok(owui(c, "POST", "/api/v1/auths/add", admin,
                {{"name", "Bob"}, {"email", "bob@example.com"}, {"password", "correct horse"}, {"role", "user"}}));
    std::string bobId = bob["id"];
    CHECK(bob["profile_image_url"] == "/user.png");
    std::string bobToken = bob["token"];
    nlohmann::json settings = {{"ui", {{"theme", "dark"}}}};
    ok(owui(c, "POST", "/api/v1/users/user/settings/update", bobToken, settings));

    // getUsers (the users page): every user as Open WebUI's UserModel.
    auto users = ok(owui(c, "GET", "/api/v1/users/?page=1&order_by=created_at&direction=asc", admin));
    REQUIRE(users["users"].size() == 2);
    for (const auto& u : users["users"]) {
        CHECK(u.contains("oauth_sub"));
        CHECK(u["oauth_sub"].is_null());
        CHECK(u["info"].is_object());
        CHECK(u.contains("settings"));
        CHECK(u["profile_image_url"] == "/user.png");
        CHECK(u["last_active_at"].is_number());
        CHECK(u["group_ids"].is_array());
    }
    auto byEmail = [](const nlohmann::json& list, const std::string& email) {
        for (const auto& u : list["users"])
            if (u["email"] == email) return u;
        return nlohmann::json();
    };
    CHECK(byEmail(users, "ada@example.com")["settings"].is_null());
    CHECK(byEmail(users, "bob@example.com")["settings"] == settings);
    auto all = ok(owui(c, "GET", "/api/v1/users/all", admin));
    CHECK(byEmail(all, "bob@example.com")["settings"] == settings);

    // getSessionUser and getUserById show the default picture too.
    CHECK(ok(owui(c, "GET", "/api/v1/auths/", bobToken))["profile_image_url"] == "/user.png");
    CHECK(ok(owui(c, "GET", "/api/v1/users/" + bobId, admin))["profile_image_url"] == "/user.png");

    // updateUserById (the edit modal) answers the user in the same shape.
    auto updated = ok(owui(c, "POST", "/api/v1/users/" + bobId + "/update", admin,
                           {{"profile_image_url", "/user.png"}, {"email", "bob@example.com"}, {"name", "Bobby"}}));
    CHECK(updated["name"] == "Bobby");
    CHECK(updated["oauth_sub"].is_null());
    CHECK(updated["settings"] == settings);

    // updateUserProfile (the account page) answers the caller in the same shape.
    auto profile = ok(owui(c, "POST", "/api/v1/auths/update/profile", bobToken,
                           {{"name", "Bob B."}, {"profile_image_url", "https://example.com/b.png"}}));
    CHECK(profile["profile_image_url"] == "https://example.com/b.png");
    CHECK(profile.contains("oauth_sub"));

    // searchUsers, deleteUserById.
    auto found = ok(owui(c, "GET", "/api/v1/users/search?query=bob", admin));
    CHECK(found["users"].size() == 1);
    CHECK(ok(owui(c, "DELETE", "/api/v1/users/" + bobId, admin)) == true);
    CHECK(owui(c, "GET", "/api/v1/users/" + bobId, admin).status == 404);
}

TEST_CASE("openwebui: GET /api/v1/users/{id}/profile/image serves the picture as Open WebUI does") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    std::string adaId = ok(owui(c, "GET", "/api/v1/auths/", admin))["id"];
    std::string path = "/api/v1/users/" + adaId + "/profile/image";

    // No picture: the default PNG shipped in static/.
    auto img = owui(c, "GET", path, admin);
    CHECK(img.status == 200);
    CHECK(img.header("content-type") == "image/png");
    CHECK(img.body == std::string(daemon::defaultUserImage()));
    CHECK(img.body.rfind("\x89PNG\r\n\x1a\n", 0) == 0);

    // A data:image URL: its decoded bytes with its type.
    const std::string gif("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);  // NULs inside: sized
    ok(owui(c, "POST", "/api/v1/auths/update/profile", admin,
            {{"profile_image_url", "data:image/gif;base64," + base64Encode(gif)}}));
    img = owui(c, "GET", path, admin);
    CHECK(img.status == 200);
    CHECK(img.header("content-type") == "image/gif");
    CHECK(img.body == gif);

    // An http(s) URL: a redirect to it.
    ok(owui(c, "POST", "/api/v1/auths/update/profile", admin, {{"profile_image_url", "https://example.com/a.png"}}));
    img = owui(c, "GET", path, admin);
    CHECK(img.status == 302);
    CHECK(img.header("location") == "https://example.com/a.png");

    // Signed-in users only (pending ones too are refused, as Open WebUI's verified-user check).
    CHECK(owui(c, "GET", path).status == 401);
    CHECK(owui(c, "GET", "/api/v1/users/no-such-user/profile/image", admin).status == 404);
}

TEST_CASE(
    "openwebui: the account page's profile, password and sign-out (updateUserProfile, updateUserPassword, "
    "userSignOut)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    CHECK(ok(owui(c, "POST", "/api/v1/auths/update/password", admin,
                  {{"password", "correct horse"}, {"new_password", "battery staple"}})) == true);
    auto session =
        ok(owui(c, "POST", "/api/v1/auths/signin", "", {{"email", "ada@example.com"}, {"password", "battery staple"}}));
    std::string token = session["token"];
    CHECK(session["permissions"].is_object());
    // userSignOut sends no token header, only the cookie; here the header stands in for it.
    CHECK(owui(c, "GET", "/api/v1/auths/signout", token).status == 200);
    CHECK(owui(c, "GET", "/api/v1/auths/", token).status == 401);
}

TEST_CASE("openwebui: the groups page (getGroups, createNewGroup, getGroupById, updateGroupById, ...)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    std::string bobId = ok(owui(c, "POST", "/api/v1/auths/add", admin,
                                {{"name", "Bob"}, {"email", "bob@example.com"}, {"password", "correct horse"}}))["id"];

    std::string adaId = ok(owui(c, "GET", "/api/v1/auths/", admin))["id"];
    auto g = ok(owui(c, "POST", "/api/v1/groups/create", admin,
                     {{"name", "Staff"}, {"description", "everyone"}, {"meta", {{"color", "teal"}}}}));
    std::string id = g["id"];
    // Open WebUI's GroupModel: the creator and the client's meta object.
    CHECK(g["user_id"] == adaId);
    CHECK(g["meta"] == nlohmann::json{{"color", "teal"}});
    auto withMeta = ok(owui(c, "POST", "/api/v1/groups/id/" + id + "/update", admin,
                            {{"name", "Staff"}, {"meta", {{"color", "red"}, {"icon", "star"}}}}));
    CHECK(withMeta["meta"] == nlohmann::json{{"color", "red"}, {"icon", "star"}});
    CHECK(withMeta["user_id"] == adaId);
    // Bounded: not an object, or too large, is refused and the stored meta stays.
    CHECK(owui(c, "POST", "/api/v1/groups/id/" + id + "/update", admin, {{"meta", "red"}}).status == 400);
    auto big = owui(c, "POST", "/api/v1/groups/id/" + id + "/update", admin,
                    {{"meta", {{"notes", std::string(20 * 1024, 'x')}}}});
    CHECK(big.status == 413);
    CHECK(detailOf(big).find("meta") != std::string::npos);
    CHECK(owui(c, "POST", "/api/v1/groups/create", admin,
               {{"name", "Big"}, {"meta", {{"n", std::string(20 * 1024, 'x')}}}})
              .status == 413);
    // getGroups sends `?` with an empty query, or `?share=true` from the sharing pickers.
    CHECK(ok(owui(c, "GET", "/api/v1/groups/?", admin)).size() == 1);
    CHECK(ok(owui(c, "GET", "/api/v1/groups/?share=true", admin)).size() == 1);
    auto byId = ok(owui(c, "GET", "/api/v1/groups/id/" + id, admin));
    CHECK(byId["name"] == "Staff");
    CHECK(byId["meta"] == withMeta["meta"]);
    CHECK(byId["permissions"].is_object());
    auto added = ok(owui(c, "POST", "/api/v1/groups/id/" + id + "/users/add", admin, {{"user_ids", {bobId}}}));
    CHECK(added["user_ids"] == nlohmann::json::array({bobId}));
    auto removed = ok(owui(c, "POST", "/api/v1/groups/id/" + id + "/users/remove", admin, {{"user_ids", {bobId}}}));
    CHECK(removed["user_ids"].empty());
    auto updated = ok(owui(c, "POST", "/api/v1/groups/id/" + id + "/update", admin,
                           {{"name", "Staff"}, {"description", "all staff"}, {"user_ids", {bobId}}}));
    CHECK(updated["description"] == "all staff");
    CHECK(updated["user_ids"] == nlohmann::json::array({bobId}));
    CHECK(ok(owui(c, "DELETE", "/api/v1/groups/id/" + id + "/delete", admin)) == true);
    CHECK(owui(c, "GET", "/api/v1/groups/id/" + id, admin).status == 404);
}

TEST_CASE("openwebui: what rosterd does not serve answers 404 with a detail (the documented boundary)") {
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    std::string adaId = ok(owui(c, "GET", "/api/v1/auths/", admin))["id"];
    // src/lib/apis/configs beyond the admin settings, and the users API's removed role call.
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"POST", "/api/v1/configs/import"},
             {"GET", "/api/v1/configs/export"},
             {"GET", "/api/v1/configs/connections"},
             {"GET", "/api/v1/configs/tool_servers"},
             {"POST", "/api/v1/configs/tool_servers/verify"},
             {"GET", "/api/v1/configs/terminal_servers"},
             {"POST", "/api/v1/configs/oauth/clients/register"},
             {"GET", "/api/v1/configs/code_execution"},
             {"GET", "/api/v1/configs/models"},
             {"POST", "/api/v1/configs/suggestions"},
             {"POST", "/api/v1/users/update/role"},
             {"POST", "/api/v1/auths/update/timezone"},
             {"GET", "/api/v1/users/default/permissions/defaults"},
             {"GET", "/api/v1/users/" + adaId + "/info"},
             {"GET", "/api/v1/users/" + adaId + "/preview"},
             {"POST", "/api/v1/users/user/status/update"},
             {"GET", "/api/v1/users/user/variables"},
             {"POST", "/api/v1/users/user/variables/update"},
             {"GET", "/api/v1/users/usage?days=30"},
         }) {
        INFO(method << " " << path);
        auto r = owui(c, method, path, admin, method == "POST" ? nlohmann::json::object() : nlohmann::json());
        CHECK(r.status == 404);
        CHECK_FALSE(detailOf(r).empty());
    }
}

TEST_CASE("openwebui: banners the shell loads at start and the admin saves (getBanners, setBanners)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    std::string bob = ok(owui(
        c, "POST", "/api/v1/auths/add", admin,
        {{"name", "Bob"}, {"email", "bob@example.com"}, {"password", "correct horse"}, {"role", "user"}}))["token"];
    CHECK(ok(owui(c, "GET", "/api/v1/configs/banners", bob)) == nlohmann::json::array());

    nlohmann::json banners = nlohmann::json::array({{{"id", "b1"},
                                                     {"type", "info"},
                                                     {"title", ""},
                                                     {"content", "Maintenance on Sunday"},
                                                     {"dismissible", true},
                                                     {"timestamp", 1700000000}}});
    CHECK(ok(owui(c, "POST", "/api/v1/configs/banners", admin, {{"banners", banners}})) == banners);
    CHECK(ok(owui(c, "GET", "/api/v1/configs/banners", bob)) == banners);

    nlohmann::json bad = banners;
    bad[0]["dismissible"] = "yes";
    auto refused = owui(c, "POST", "/api/v1/configs/banners", admin, {{"banners", bad}});
    CHECK(refused.status == 400);
    CHECK(detailOf(refused) == "banners[0].dismissible must be true or false");
    CHECK(owui(c, "POST", "/api/v1/configs/banners", bob, {{"banners", banners}}).status == 403);
    CHECK(owui(c, "GET", "/api/v1/configs/banners").status == 401);
    CHECK(ok(owui(c, "GET", "/api/v1/configs/banners", bob)) == banners);
}
