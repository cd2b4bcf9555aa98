// Open WebUI's own frontend calls, replayed against a running rosterd: the app shell's start, the
// pending screen, the admin settings pages and the users pages, with the fields those pages read.
#include <algorithm>

#include "openwebui_fixture.h"
#include "support/project_version.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::vector<std::string> outboxTypes(TestServer& s) {
    auto rs =
        s.app().store().transact([](db::Transaction& tx) { return tx.exec("SELECT type FROM outbox ORDER BY seq"); });
    std::vector<std::string> out;
    for (auto row : rs) out.push_back(row.str(0));
    return out;
}

}  // namespace

TEST_CASE("openwebui: the app shell starts (getBackendConfig, getVersion)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"}});
    auto c = s.client();

    // Before anyone signed up: the shell shows the onboarding page.
    auto config = ok(owui(c, "GET", "/api/config"));
    CHECK(config["status"] == true);
    CHECK(config["name"].is_string());
    CHECK(config["version"].is_string());
    CHECK(config["default_locale"].is_string());
    CHECK(config["oauth"]["providers"].is_object());
    CHECK(config["onboarding"] == true);
    auto f = config["features"];
    CHECK(f["auth"] == true);
    CHECK(f["enable_signup"] == true);
    CHECK(f["enable_login_form"] == true);
    CHECK(f["enable_ldap"] == false);
    CHECK(f["enable_api_key"] == true);
    CHECK(f["auth_trusted_header"] == false);
    CHECK_FALSE(config.contains("user_count"));

    std::string admin = signupToken(c, "Ada", "ada@example.com");
    config = ok(owui(c, "GET", "/api/config", admin));
    CHECK_FALSE(config.contains("onboarding"));
    CHECK(config["user_count"] == 1);
    CHECK(config["features"]["enable_channels"] == false);
    CHECK(config["features"]["enable_community_sharing"] == true);
    CHECK(config["permissions"].is_object());
    CHECK(config["default_prompt_suggestions"].is_array());
    // A stale token is an anonymous caller here, as in Open WebUI's shell.
    CHECK(ok(owui(c, "GET", "/api/config", "not-a-token"))["features"]["enable_signup"] == true);

    auto version = ok(owui(c, "GET", "/api/version"));
    CHECK(version["version"] == config["version"]);
    // Both say the version project(VERSION ...) declares, as --version does.
    CHECK(version["version"] == projectVersion());
}

TEST_CASE("openwebui: the pending screen shows the admin's contact (getAdminDetails)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"}});
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    std::string pending = signupToken(c, "Pat", "pat@example.com");
    auto details = ok(owui(c, "GET", "/api/v1/auths/admin/details", pending));
    CHECK(details["name"] == "Ada");
    CHECK(details["email"] == "ada@example.com");
    CHECK(owui(c, "GET", "/api/v1/auths/admin/details").status == 401);

    // SHOW_ADMIN_DETAILS off (the admin page's switch): refused with the reason.
    ok(owui(c, "POST", "/api/v1/auths/admin/config", admin, adminForm({{"SHOW_ADMIN_DETAILS", false}})));
    auto hidden = owui(c, "GET", "/api/v1/auths/admin/details", pending);
    CHECK(hidden.status == 400);
    CHECK(detailOf(hidden).find("show_admin_details") != std::string::npos);
}

TEST_CASE("openwebui: the admin settings page reads and saves (getAdminConfig, updateAdminConfig, ...)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    std::string bob;
    {
        auto r =
            ok(owui(c, "POST", "/api/v1/auths/add", admin,
                    {{"name", "Bob"}, {"email", "bob@example.com"}, {"password", "correct horse"}, {"role", "user"}}));
        bob = signinToken(c, "bob@example.com");
    }

    auto page = ok(owui(c, "GET", "/api/v1/auths/admin/config", admin));
    CHECK(page["ENABLE_SIGNUP"] == false);
    CHECK(page["DEFAULT_USER_ROLE"] == "pending");
    CHECK(page["JWT_EXPIRES_IN"] == "4w");
    CHECK(page["SHOW_ADMIN_DETAILS"] == true);
    CHECK(page["ENABLE_API_KEY"] == true);
    CHECK(page["ENABLE_COMMUNITY_SHARING"] == true);
    CHECK(page.contains("PENDING_USER_OVERLAY_TITLE"));
    CHECK(owui(c, "GET", "/api/v1/auths/admin/config", bob).status == 403);

    auto saved = ok(owui(c, "POST", "/api/v1/auths/admin/config", admin,
                         adminForm({{"ENABLE_SIGNUP", true},
                                    {"DEFAULT_USER_ROLE", "user"},
                                    {"JWT_EXPIRES_IN", "2h"},
                                    {"WEBUI_URL", "https://chat.example.com"},
                                    {"PENDING_USER_OVERLAY_TITLE", "Hold on"}})));
    CHECK(saved["ENABLE_SIGNUP"] == true);
    CHECK(saved["DEFAULT_USER_ROLE"] == "user");
    CHECK(saved["JWT_EXPIRES_IN"] == "2h");
    CHECK(saved["WEBUI_URL"] == "https://chat.example.com");
    CHECK(saved["PENDING_USER_OVERLAY_TITLE"] == "Hold on");
    CHECK(ok(owui(c, "GET", "/api/v1/auths/admin/config", admin)) == saved);
    CHECK(ok(owui(c, "GET", "/api/config"))["features"]["enable_signup"] == true);
    CHECK(s.app().config()->auth.defaultUserRole == "user");

    // The older single-setting calls of src/lib/apis/auths.
    CHECK(ok(owui(c, "GET", "/api/v1/auths/signup/enabled", admin)) == true);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/signup/enabled/toggle", admin)) == false);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/signup/enabled", admin)) == false);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/signup/user/role", admin)) == "user");
    CHECK(ok(owui(c, "POST", "/api/v1/auths/signup/user/role", admin, {{"role", "pending"}})) == "pending");
    CHECK(ok(owui(c, "GET", "/api/v1/auths/token/expires", admin)) == "2h");
    CHECK(ok(owui(c, "POST", "/api/v1/auths/token/expires/update", admin, {{"duration", "-1"}})) == "-1");
    CHECK(ok(owui(c, "GET", "/api/v1/auths/token/expires", admin)) == "-1");

    // Validated as check-config validates the INI: refused whole, naming the key.
    auto badRole = owui(c, "POST", "/api/v1/auths/signup/user/role", admin, {{"role", "owner"}});
    CHECK(badRole.status == 400);
    CHECK(detailOf(badRole).find("auth.default_user_role") != std::string::npos);
    auto badForm = owui(c, "POST", "/api/v1/auths/admin/config", admin,
                        adminForm({{"ENABLE_SIGNUP", true}, {"JWT_EXPIRES_IN", "0"}}));
    CHECK(badForm.status == 400);
    CHECK(detailOf(badForm).find("auth.jwt_expires_in") != std::string::npos);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/signup/enabled", admin)) == false);  // nothing half-applied
    CHECK(owui(c, "POST", "/api/v1/auths/admin/config", admin, {{"ENABLE_SIGNUP", "yes"}}).status == 400);
    CHECK(owui(c, "GET", "/api/v1/auths/signup/enabled/toggle", bob).status == 403);

    // Every stored change is one settings.changed event.
    auto types = outboxTypes(s);
    CHECK(std::count(types.begin(), types.end(), "settings.changed") == 4);
}

TEST_CASE("openwebui: the LDAP settings form; the bind password is write-only; a bad server is refused") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    CHECK(ok(owui(c, "GET", "/api/v1/auths/admin/config/ldap", admin)) == nlohmann::json{{"ENABLE_LDAP", false}});

    const nlohmann::json form = ldapServerForm();
    auto saved = ok(owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, form));
    CHECK(saved["host"] == "ldap.example.com");
    CHECK(saved["port"] == 636);
    CHECK(saved["use_tls"] == true);
    CHECK(saved["label"] == "Corp");
    CHECK(saved["search_filters"] == "(objectClass=person)");
    CHECK(saved["app_dn_password"] == "");
    auto read = ok(owui(c, "GET", "/api/v1/auths/admin/config/ldap/server", admin));
    CHECK(read == saved);
    CHECK(s.app().config()->ldap.urls == std::vector<std::string>{"ldaps://ldap.example.com:636"});

    // The secret appears in no answer and no event.
    auto events = s.app().store().transact(
        [](db::Transaction& tx) { return tx.exec("SELECT payload FROM outbox WHERE type = 'settings.changed'"); });
    REQUIRE(events.size() == 1);
    CHECK(events.front().str(0).find("s3cret-bind-pw") == std::string::npos);
    CHECK(events.front().str(0).find("ldap.bind_password") != std::string::npos);  // named, not shown

    // A bad setting is refused with the reason; nothing of the form is applied.
    nlohmann::json bad = form;
    bad["host"] = "ldap2.example.com";
    bad["search_base"] = "not a dn";
    auto refused = owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, bad);
    CHECK(refused.status == 400);
    CHECK(detailOf(refused).find("ldap.user_base") != std::string::npos);
    CHECK(ok(owui(c, "GET", "/api/v1/auths/admin/config/ldap/server", admin)) == saved);
    bad = form;
    bad["search_filters"] = "objectClass=person";
    refused = owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, bad);
    CHECK(refused.status == 400);
    CHECK(detailOf(refused).find("ldap.user_filter") != std::string::npos);
    bad = form;
    bad["app_dn"] = "";
    refused = owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, bad);
    CHECK(refused.status == 400);
    CHECK(detailOf(refused) == "Required field app_dn is empty");
    CHECK(s.app().config()->ldap.urls == std::vector<std::string>{"ldaps://ldap.example.com:636"});

    // Turning LDAP on is checked like the INI (the stored section is complete) and stored; like
    // Open WebUI, it takes effect when the server starts again.
    auto on = ok(owui(c, "POST", "/api/v1/auths/admin/config/ldap", admin, {{"enable_ldap", true}}));
    CHECK(on["ENABLE_LDAP"] == true);
    CHECK(s.app().config()->ldap.enabled == false);  // switching LDAP on takes a restart
}

TEST_CASE("openwebui: the users pages (getUsers, getUserGroups, getUserActiveStatusById, user settings and info)") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = signupToken(c, "Ada", "ada@example.com");
    auto added =
        ok(owui(c, "POST", "/api/v1/auths/add", admin,
                {{"name", "Bob"}, {"email", "bob@example.com"}, {"password", "correct horse"}, {"role", "user"}}));
    std::string bobId = added["id"];
    CHECK(added["token"].is_string());  // SigninResponse: the new user with a token
    CHECK(added["token_type"] == "Bearer");
    CHECK(added["email"] == "bob@example.com");
    std::string bob = signinToken(c, "bob@example.com");
    auto group = ok(owui(c, "POST", "/api/v1/groups/create", admin, {{"name", "Staff"}, {"description", "all staff"}}));
    ok(owui(c, "POST", "/api/v1/groups/id/" + group["id"].get<std::string>() + "/users/add", admin,
            {{"user_ids", {bobId}}}));

    // getUsers with an order_by the frontend offers but rosterd does not keep: tolerated.
    auto users = ok(owui(c, "GET", "/api/v1/users/?page=1&order_by=oauth_sub&direction=asc", admin));
    CHECK(users["total"] == 2);
    CHECK(owui(c, "GET", "/api/v1/users/?order_by=password", admin).status == 400);

    // /users/groups is the caller's groups, not a user called "groups".
    auto mine = ok(owui(c, "GET", "/api/v1/users/groups", bob));
    REQUIRE(mine.size() == 1);
    CHECK(mine[0]["name"] == "Staff");
    CHECK(ok(owui(c, "GET", "/api/v1/users/groups", admin)).empty());
    auto bobs = ok(owui(c, "GET", "/api/v1/users/" + bobId + "/groups", admin));
    REQUIRE(bobs.size() == 1);
    CHECK(bobs[0]["id"] == group["id"]);
    CHECK(owui(c, "GET", "/api/v1/users/" + bobId + "/groups", bob).status == 403);
    CHECK(owui(c, "GET", "/api/v1/users/no-such-user/groups", admin).status == 404);

    // The group pages' reads.
    std::string groupId = group["id"];
    auto gi = ok(owui(c, "GET", "/api/v1/groups/id/" + groupId + "/info", bob));
    CHECK(gi["name"] == "Staff");
    CHECK(gi["member_count"] == 1);
    auto exported = ok(owui(c, "GET", "/api/v1/groups/id/" + groupId + "/export", admin));
    CHECK(exported["user_ids"] == nlohmann::json::array({bobId}));
    auto members = ok(owui(c, "POST", "/api/v1/groups/id/" + groupId + "/users", admin));
    REQUIRE(members.size() == 1);
    CHECK(members[0]["email"] == "bob@example.com");
    CHECK(owui(c, "GET", "/api/v1/groups/id/" + groupId + "/export", bob).status == 403);
    CHECK(owui(c, "GET", "/api/v1/groups/id/no-such-group/info", admin).status == 404);

    CHECK(ok(owui(c, "GET", "/api/v1/users/" + bobId + "/active", admin))["active"] == true);  // just signed in
    s.clock().advance(std::chrono::minutes(10));
    CHECK(ok(owui(c, "GET", "/api/v1/users/" + bobId + "/active", admin))["active"] == false);

    // Settings: null until set (the frontend then keeps its local ones), replaced whole.
    CHECK(ok(owui(c, "GET", "/api/v1/users/user/settings", bob)).is_null());
    nlohmann::json settings = {{"ui", {{"theme", "dark"}, {"models", {"m1"}}}}};
    CHECK(ok(owui(c, "POST", "/api/v1/users/user/settings/update", bob, settings)) == settings);
    CHECK(ok(owui(c, "GET", "/api/v1/users/user/settings", bob)) == settings);
    CHECK(ok(owui(c, "GET", "/api/v1/users/user/settings", admin)).is_null());  // per user
    // Info: merged key by key.
    CHECK(ok(owui(c, "GET", "/api/v1/users/user/info", bob)).is_null());
    ok(owui(c, "POST", "/api/v1/users/user/info/update", bob, {{"location", "Oslo"}}));
    auto info = ok(owui(c, "POST", "/api/v1/users/user/info/update", bob, {{"team", "ops"}}));
    CHECK(info == nlohmann::json{{"location", "Oslo"}, {"team", "ops"}});

    // Bounded: too large, too deep, not an object -> refused, the stored document unchanged.
    auto big =
        owui(c, "POST", "/api/v1/users/user/settings/update", bob, {{"ui", {{"notes", std::string(70 * 1024, 'x')}}}});
    CHECK(big.status == 413);
    nlohmann::json deep = nlohmann::json::object();
    for (int i = 0; i < 20; ++i) deep = {{"d", deep}};
    auto tooDeep = owui(c, "POST", "/api/v1/users/user/settings/update", bob, deep);
    CHECK(tooDeep.status == 400);
    CHECK(detailOf(tooDeep).find("deeper") != std::string::npos);
    CHECK(c.request("POST", "/api/v1/users/user/settings/update", "[1]", bob).status == 400);
    CHECK(ok(owui(c, "GET", "/api/v1/users/user/settings", bob)) == settings);
    CHECK(owui(c, "GET", "/api/v1/users/user/settings").status == 401);
}
