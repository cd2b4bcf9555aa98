// docs/openapi.yaml describes what rosterd really answers: the test walks the API as a client
// would (signup, sessions, users, groups, keys, settings, webhooks) on a real server, records each
// JSON answer with its operation and status, and checks every one against the document's schema
// for that operation and status (tests/openapi/check_responses.mjs, Ajv).
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/process.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using nlohmann::json;

namespace {

class Recorder {
public:
    explicit Recorder(const HttpClient& client) : client_(client) {}

    /// Sends METHOD `path` (an instance of `route`) and records the exchange when it answered JSON.
    HttpResult call(const std::string& method, const std::string& route, const std::string& path,
                    const json& body = nullptr, const std::string& token = "") {
        auto r = client_.request(method, path, body.is_null() ? "" : body.dump(), token);
        if (r.header("content-type").rfind("application/json", 0) == 0) {
            exchanges_.push_back({{"method", method}, {"route", route}, {"status", r.status}, {"body", r.json()}});
        }
        return r;
    }
    const json& exchanges() const { return exchanges_; }

private:
    const HttpClient& client_;
    json exchanges_ = json::array();
};

}  // namespace

TEST_CASE("real responses match docs/openapi.yaml's schemas") {
    TestServer s(db::Driver::Sqlite);
    auto client = s.client();
    Recorder api(client);

    api.call("GET", "/healthz", "/healthz");
    api.call("GET", "/readyz", "/readyz");
    api.call("GET", "/api/config", "/api/config");
    api.call("GET", "/api/version", "/api/version");
    auto admin = api.call("POST", "/api/v1/auths/signup", "/api/v1/auths/signup",
                          {{"name", "Ada Admin"}, {"email", "ada@example.com"}, {"password", "correct horse 1"}});
    REQUIRE(admin.status == 200);
    std::string token = admin.json()["token"];
    api.call("POST", "/api/v1/auths/signin", "/api/v1/auths/signin",
             {{"email", "ada@example.com"}, {"password", "wrong"}});
    api.call("POST", "/api/v1/auths/signin", "/api/v1/auths/signin",
             {{"email", "ada@example.com"}, {"password", "correct horse 1"}});
    api.call("GET", "/api/v1/auths/", "/api/v1/auths/", nullptr, token);
    api.call("GET", "/api/v1/auths/", "/api/v1/auths/");  // no credentials: 401
    api.call("POST", "/api/v1/auths/update/profile", "/api/v1/auths/update/profile", {{"name", "Ada A."}}, token);
    auto added = api.call(
        "POST", "/api/v1/auths/add", "/api/v1/auths/add",
        {{"name", "Bob"}, {"email", "bob@example.com"}, {"password", "battery staple 2"}, {"role", "user"}}, token);
    REQUIRE(added.status == 200);
    std::string bobId = added.json()["id"];
    std::string bobToken = added.json()["token"];
    api.call("POST", "/api/v1/users/create", "/api/v1/users/create",
             {{"name", "Cy"}, {"email", "cy@example.com"}, {"password", "cy password 3"}, {"role", "pending"}}, token);
    api.call("POST", "/api/v1/users/create", "/api/v1/users/create",
             {{"name", "Cy"}, {"email", "cy@example.com"}, {"password", "cy password 3"}, {"role", "pending"}},
             token);  // duplicate
    api.call("POST", "/api/v1/auths/api_key", "/api/v1/auths/api_key", nullptr, bobToken);
    api.call("GET", "/api/v1/auths/api_key", "/api/v1/auths/api_key", nullptr, bobToken);
    api.call("DELETE", "/api/v1/auths/api_key", "/api/v1/auths/api_key", nullptr, bobToken);
    api.call("GET", "/api/v1/auths/api_key", "/api/v1/auths/api_key", nullptr, bobToken);

    api.call("GET", "/api/v1/users/", "/api/v1/users/?page=1", nullptr, token);
    api.call("GET", "/api/v1/users/all", "/api/v1/users/all", nullptr, token);
    api.call("GET", "/api/v1/users/search", "/api/v1/users/search?query=bo", nullptr, bobToken);
    api.call("GET", "/api/v1/users/{id}", "/api/v1/users/" + bobId, nullptr, token);
    api.call("GET", "/api/v1/users/{id}", "/api/v1/users/" + bobId, nullptr, bobToken);
    api.call("GET", "/api/v1/users/{id}", "/api/v1/users/no-such-user", nullptr, token);
    api.call("POST", "/api/v1/users/{id}/update", "/api/v1/users/" + bobId + "/update", {{"name", "Robert"}}, token);
    api.call("GET", "/api/v1/users/{id}/active", "/api/v1/users/" + bobId + "/active", nullptr, token);
    api.call("GET", "/api/v1/users/permissions", "/api/v1/users/permissions", nullptr, bobToken);
    api.call("GET", "/api/v1/users/default/permissions", "/api/v1/users/default/permissions", nullptr, token);
    api.call("POST", "/api/v1/users/default/permissions", "/api/v1/users/default/permissions",
             {{"workspace", {{"models", true}}}}, token);
    api.call("GET", "/api/v1/users/groups", "/api/v1/users/groups", nullptr, bobToken);
    api.call("GET", "/api/v1/users/user/settings", "/api/v1/users/user/settings", nullptr, bobToken);
    api.call("POST", "/api/v1/users/user/settings/update", "/api/v1/users/user/settings/update",
             {{"ui", {{"theme", "dark"}}}}, bobToken);
    api.call("GET", "/api/v1/users/user/info", "/api/v1/users/user/info", nullptr, bobToken);
    api.call("GET", "/api/v1/users/directory_link_refusals", "/api/v1/users/directory_link_refusals", nullptr, token);

    auto group = api.call("POST", "/api/v1/groups/create", "/api/v1/groups/create",
                          {{"name", "staff"}, {"description", "everyone"}}, token);
    REQUIRE(group.status == 200);
    std::string groupId = group.json()["id"];
    api.call("GET", "/api/v1/groups/", "/api/v1/groups/", nullptr, token);
    api.call("GET", "/api/v1/groups/id/{id}", "/api/v1/groups/id/" + groupId, nullptr, token);
    api.call("POST", "/api/v1/groups/id/{id}/update", "/api/v1/groups/id/" + groupId + "/update",
             {{"name", "staff"}, {"description", "all staff"}, {"permissions", {{"chat", {{"delete", false}}}}}},
             token);
    api.call("POST", "/api/v1/groups/id/{id}/users/add", "/api/v1/groups/id/" + groupId + "/users/add",
             {{"user_ids", {bobId}}}, token);
    api.call("GET", "/api/v1/groups/id/{id}/users", "/api/v1/groups/id/" + groupId + "/users", nullptr, token);
    api.call("GET", "/api/v1/groups/id/{id}/info", "/api/v1/groups/id/" + groupId + "/info", nullptr, token);
    api.call("GET", "/api/v1/users/{id}/groups", "/api/v1/users/" + bobId + "/groups", nullptr, token);
    api.call("POST", "/api/v1/groups/id/{id}/users/remove", "/api/v1/groups/id/" + groupId + "/users/remove",
             {{"user_ids", {bobId}}}, token);
    api.call("DELETE", "/api/v1/groups/id/{id}/delete", "/api/v1/groups/id/" + groupId + "/delete", nullptr, token);

    api.call("GET", "/api/v1/auths/admin/details", "/api/v1/auths/admin/details", nullptr, bobToken);
    api.call("GET", "/api/v1/auths/admin/config", "/api/v1/auths/admin/config", nullptr, token);
    api.call("GET", "/api/v1/auths/signup/enabled", "/api/v1/auths/signup/enabled", nullptr, token);
    api.call("GET", "/api/v1/auths/signup/user/role", "/api/v1/auths/signup/user/role", nullptr, token);
    api.call("GET", "/api/v1/auths/token/expires", "/api/v1/auths/token/expires", nullptr, token);
    api.call("GET", "/api/v1/auths/admin/config/ldap", "/api/v1/auths/admin/config/ldap", nullptr, token);
    api.call("GET", "/api/v1/auths/admin/config/ldap/server", "/api/v1/auths/admin/config/ldap/server", nullptr, token);
    api.call("GET", "/api/v1/configs/banners", "/api/v1/configs/banners", nullptr, token);
    api.call("GET", "/api/v1/webhooks/", "/api/v1/webhooks/", nullptr, token);
    api.call("GET", "/api/v1/webhooks/events", "/api/v1/webhooks/events", nullptr, token);
    api.call("GET", "/api/v1/sync/status", "/api/v1/sync/status", nullptr, token);
    api.call("DELETE", "/api/v1/users/{id}", "/api/v1/users/" + bobId, nullptr, token);
    api.call("GET", "/api/v1/auths/signout", "/api/v1/auths/signout", nullptr, token);

    REQUIRE(api.exchanges().size() > 40);
    std::string dir = makeTempDir("rosterd-openapi-");
    std::string file = dir + "/exchanges.json";
    writeFile(file, api.exchanges().dump(1));
    auto check = runCommand({"node", std::string(ROSTERD_SOURCE_DIR) + "/tests/openapi/check_responses.mjs",
                             std::string(ROSTERD_SOURCE_DIR) + "/docs/openapi.yaml", file});
    INFO(check.output);
    CHECK(check.exitCode == 0);
    std::filesystem::remove_all(dir);
}
