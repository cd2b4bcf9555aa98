// Every event type has one shape whichever door produced it: the doors without a directory
// (the initial admin, the API, a CSV import, runtime settings), on both store drivers.
#include <catch2/catch.hpp>

#include "../accounts/accounts_fixture.h"
#include "../import/import_fixture.h"
#include "accounts/password_hasher.h"
#include "accounts/primary_admin.h"
#include "integration/events/door_events.h"
#include "support/test_database.h"
#include "support/test_server.h"
#include "webhooks/event_types.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("event shapes: the table holds one shape for every event type rosterd emits, and no other") {
    std::set<std::string> emitted(webhooks::event_types::kAll.begin(), webhooks::event_types::kAll.end());
    std::set<std::string> shaped;
    for (const auto& [type, shape] : eventShapes()) shaped.insert(type);
    CHECK(shaped == emitted);
}

TEST_CASE("event shapes: the initial admin, the API, a CSV import and runtime settings") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    TestServer server(driver, {{"auth.enable_signup", "true"}});
    auto c = server.client();
    auto& app = server.app();
    DoorEvents events(app.store());

    const accounts::PasswordHasher hasher(app.config()->auth.bcryptCost);
    accounts::createPrimaryAdmin(app.store(), app.outbox(), server.clock(), hasher,
                                 app.config()->auth.passwordMinLength, "Root", "root@local.example", "correct horse");
    events.check("initial admin", {"user.created"});
    const std::string admin = tokenOf(signin(c, "root@local.example"));

    const std::string sam = tokenOf(signup(c, "Sam", "sam@local.example"));
    events.check("API signup", {"user.signup"});
    auto r = c.post("/api/v1/auths/update/profile", {{"name", "Sam S"}}, sam);
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("own profile", {"user.updated"});

    const std::string id = addUser(c, admin, "Ada", "ada@local.example", "pending");
    events.check("admin API create", {"user.created"});
    r = c.post("/api/v1/users/" + id + "/update",
               {{"name", "Ada L"}, {"profile_image_url", "https://img.example/ada.png"}}, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto updated = firstOf(events.check("admin API update", {"user.updated"}), "user.updated");
    CHECK(updated["changed"] == nlohmann::json({"name", "profile_image_url"}));
    r = c.post("/api/v1/users/" + id + "/update", {{"role", "user"}}, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto role = firstOf(events.check("admin API role", {"user.role_changed"}), "user.role_changed");
    CHECK(role["old_role"] == "pending");
    CHECK(role["new_role"] == "user");
    CHECK(role["reason"] == "changed by an admin");

    r = postCsv(c, admin, "name,email,password,role\nBea,bea@local.example,correct horse,user\n");
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("CSV import", {"user.created"});

    r = c.post("/api/v1/groups/create", {{"name", "ops"}, {"description", "on call"}}, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    const std::string group = r.json()["id"];
    auto created = firstOf(events.check("admin API group create", {"group.created"}), "group.created");
    // The group object is the API's, with the directory's two fields besides.
    auto shown = c.get("/api/v1/groups/id/" + group, admin).json();
    shown["external_id"] = nullptr;
    shown["dn"] = nullptr;
    CHECK(shown == created);
    r = c.post("/api/v1/groups/id/" + group + "/update", {{"description", "on call, nights"}}, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("admin API group update", {"group.updated"});
    r = c.post("/api/v1/groups/id/" + group + "/users/add", {{"user_ids", {id}}}, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("admin API members add", {"group.members_changed"});
    r = c.post("/api/v1/groups/id/" + group + "/users/remove", {{"user_ids", {id}}}, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("admin API members remove", {"group.members_changed"});
    r = c.post("/api/v1/groups/id/" + group + "/update", {{"name", "ops2"}, {"user_ids", {id}}}, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("admin API group update with members", {"group.updated", "group.members_changed"});
    r = c.del("/api/v1/groups/id/" + group + "/delete", admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("admin API group delete", {"group.deleted"});

    r = c.del("/api/v1/users/" + id, admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    events.check("admin API delete", {"user.deleted"});

    r = c.get("/api/v1/auths/signup/enabled/toggle", admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto settings = firstOf(events.check("runtime settings", {"settings.changed"}), "settings.changed");
    CHECK(settings["keys"] == nlohmann::json({"auth.enable_signup"}));
}
