#include "../accounts/accounts_fixture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
struct World {
    explicit World(db::Driver d) : s(d), c(s.client()) {
        admin = tokenOf(signup(c, "Ada", "ada@example.com"));
        bobId = addUser(c, admin, "Bob", "bob@example.com", "user");
        carolId = addUser(c, admin, "Carol", "carol@example.com", "user");
        bob = tokenOf(signin(c, "bob@example.com"));
    }
    std::string createGroup(const std::string& name, const nlohmann::json& permissions = nlohmann::json::object()) {
        auto r = c.post("/api/v1/groups/create", {{"name", name}, {"description", "d"}, {"permissions", permissions}},
                        admin);
        INFO(r.body);
        REQUIRE(r.status == 200);
        return r.json()["id"];
    }
    std::vector<std::string> eventTypes() {
        auto rs = s.app().store().transact(
            [](db::Transaction& tx) { return tx.exec("SELECT type FROM outbox ORDER BY seq"); });
        std::vector<std::string> out;
        for (auto row : rs) out.push_back(row.str(0));
        return out;
    }
    std::int64_t members(const std::string& groupId) {
        return s.app().store().transact([&](db::Transaction& tx) {
            return tx.exec("SELECT count(*) FROM group_members WHERE group_id = $1", {groupId}).front().i64(0);
        });
    }
    TestServer s;
    HttpClient c;
    std::string admin, bob, bobId, carolId;
};
}  // namespace

TEST_CASE("groups: create, read, update, list, delete") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    World w(driver);
    std::string id = w.createGroup("staff", {{"chat", {{"delete", true}}}});
    CHECK(w.c.post("/api/v1/groups/create", {{"name", "staff"}}, w.admin).status == 400);
    CHECK(w.c.post("/api/v1/groups/create", {{"name", "x"}, {"permissions", {{"chat", "yes"}}}}, w.admin).status ==
          400);
    CHECK(w.c.post("/api/v1/groups/create", {{"name", "  "}}, w.admin).status == 400);
    auto g = w.c.get("/api/v1/groups/id/" + id, w.admin).json();
    CHECK(g["name"] == "staff");
    CHECK(g["source"] == "local");
    CHECK(g["permissions"]["chat"]["delete"] == true);
    auto upd =
        w.c.post("/api/v1/groups/id/" + id + "/update", {{"name", "crew"}, {"description", "all hands"}}, w.admin);
    REQUIRE(upd.status == 200);
    CHECK(upd.json()["name"] == "crew");
    CHECK(w.c.get("/api/v1/groups/", w.admin).json().size() == 1);
    CHECK(w.c.get("/api/v1/groups/id/nope", w.admin).status == 404);
    REQUIRE(w.c.del("/api/v1/groups/id/" + id + "/delete", w.admin).status == 200);
    CHECK(w.c.get("/api/v1/groups/id/" + id, w.admin).status == 404);
    auto types = w.eventTypes();
    CHECK(std::count(types.begin(), types.end(), "group.created") == 1);
    CHECK(std::count(types.begin(), types.end(), "group.updated") == 1);
    CHECK(std::count(types.begin(), types.end(), "group.deleted") == 1);
}

TEST_CASE("bulk membership is one transaction; unknown ids are reported and nothing is applied") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    World w(driver);
    std::string id = w.createGroup("staff");
    auto bad =
        w.c.post("/api/v1/groups/id/" + id + "/users/add", {{"user_ids", {w.bobId, "ghost-1", w.carolId}}}, w.admin);
    CHECK(bad.status == 400);
    CHECK(detailOf(bad).find("ghost-1") != std::string::npos);
    CHECK(w.members(id) == 0);
    auto ok =
        w.c.post("/api/v1/groups/id/" + id + "/users/add", {{"user_ids", {w.bobId, w.carolId, w.bobId}}}, w.admin);
    REQUIRE(ok.status == 200);
    CHECK(ok.json()["user_ids"].size() == 2);
    CHECK(w.members(id) == 2);
    auto users = w.c.get("/api/v1/users/?group_id=" + id, w.admin).json();
    CHECK(users["total"] == 2);
    CHECK(users["users"][0]["group_ids"][0] == id);
    auto rem = w.c.post("/api/v1/groups/id/" + id + "/users/remove", {{"user_ids", {w.bobId}}}, w.admin);
    REQUIRE(rem.status == 200);
    CHECK(rem.json()["user_ids"] == nlohmann::json::array({w.carolId}));
    CHECK(w.c.post("/api/v1/groups/id/" + id + "/users/remove", {{"user_ids", {"ghost-2"}}}, w.admin).status == 400);
    CHECK(w.c.post("/api/v1/groups/id/" + id + "/users/add", {{"user_ids", "bob"}}, w.admin).status == 400);
    CHECK(w.c.post("/api/v1/groups/id/nope/users/add", {{"user_ids", {w.bobId}}}, w.admin).status == 404);
    auto types = w.eventTypes();
    CHECK(std::count(types.begin(), types.end(), "group.members_changed") == 2);
}

TEST_CASE("effective permissions: a permission granted by one group of several") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    World w(driver);
    REQUIRE(
        w.c.post("/api/v1/users/default/permissions", {{"workspace", {{"models", false}, {"tools", false}}}}, w.admin)
            .status == 200);
    std::string a = w.createGroup("a", {{"workspace", {{"models", false}}}});
    std::string b = w.createGroup("b", {{"workspace", {{"tools", true}}}, {"chat", {{"export", true}}}});
    REQUIRE(w.c.post("/api/v1/groups/id/" + a + "/users/add", {{"user_ids", {w.bobId}}}, w.admin).status == 200);
    auto before = w.c.get("/api/v1/users/permissions", w.bob).json();
    CHECK(before["workspace"]["tools"] == false);
    REQUIRE(w.c.post("/api/v1/groups/id/" + b + "/users/add", {{"user_ids", {w.bobId}}}, w.admin).status == 200);
    auto after = w.c.get("/api/v1/users/permissions", w.bob).json();
    CHECK(after["workspace"]["tools"] == true);
    CHECK(after["workspace"]["models"] == false);
    CHECK(after["chat"]["export"] == true);
    CHECK(w.c.get("/api/v1/auths/", w.bob).json()["permissions"]["workspace"]["tools"] == true);
}

TEST_CASE("non-admins see only their own groups and are refused admin group endpoints") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    World w(driver);
    std::string mine = w.createGroup("mine");
    w.createGroup("other");
    REQUIRE(w.c.post("/api/v1/groups/id/" + mine + "/users/add", {{"user_ids", {w.bobId}}}, w.admin).status == 200);
    auto visible = w.c.get("/api/v1/groups/", w.bob).json();
    REQUIRE(visible.size() == 1);
    CHECK(visible[0]["name"] == "mine");
    CHECK(w.c.get("/api/v1/groups/", w.admin).json().size() == 2);
    CHECK(w.c.post("/api/v1/groups/create", {{"name", "x"}}, w.bob).status == 403);
    CHECK(w.c.get("/api/v1/groups/id/" + mine, w.bob).status == 403);
    CHECK(w.c.post("/api/v1/groups/id/" + mine + "/update", {{"name", "y"}}, w.bob).status == 403);
    CHECK(w.c.del("/api/v1/groups/id/" + mine + "/delete", w.bob).status == 403);
    CHECK(w.c.post("/api/v1/groups/id/" + mine + "/users/add", {{"user_ids", {w.carolId}}}, w.bob).status == 403);
    CHECK(w.c.get("/api/v1/groups/users/" + w.bobId, w.bob).status == 200);
    CHECK(w.c.get("/api/v1/groups/users/" + w.carolId, w.bob).status == 403);
    CHECK(w.c.get("/api/v1/groups/users/" + w.carolId, w.admin).status == 200);
    CHECK(w.c.get("/api/v1/groups/users/nobody", w.admin).status == 404);
}

TEST_CASE("directory-sourced groups refuse rename, delete and member changes with 409") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    World w(driver);
    w.s.app().store().transact([&](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO groups (id, name, source, external_id, created_at, updated_at) VALUES ('lg', 'engineers', "
            "'ldap', 'uuid-1', 1, 1)");
        tx.exec("INSERT INTO group_members (group_id, user_id, created_at) VALUES ('lg', $1, 1)", {w.bobId});
    });
    auto rename = w.c.post("/api/v1/groups/id/lg/update", {{"name", "devs"}}, w.admin);
    CHECK(rename.status == 409);
    CHECK(detailOf(rename).find("directory") != std::string::npos);
    CHECK(w.c.del("/api/v1/groups/id/lg/delete", w.admin).status == 409);
    CHECK(w.c.post("/api/v1/groups/id/lg/users/add", {{"user_ids", {w.carolId}}}, w.admin).status == 409);
    CHECK(w.c.post("/api/v1/groups/id/lg/users/remove", {{"user_ids", {w.bobId}}}, w.admin).status == 409);
    CHECK(w.c.post("/api/v1/groups/id/lg/update", {{"user_ids", nlohmann::json::array()}}, w.admin).status == 409);
    CHECK(w.members("lg") == 1);
    // Permissions of a directory group are a local matter.
    auto perms = w.c.post("/api/v1/groups/id/lg/update", {{"permissions", {{"chat", {{"export", true}}}}}}, w.admin);
    CHECK(perms.status == 200);
    CHECK(w.c.get("/api/v1/users/permissions", w.bob).json()["chat"]["export"] == true);
}

TEST_CASE("deleting a user or a group removes its memberships") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    World w(driver);
    std::string g1 = w.createGroup("g1");
    std::string g2 = w.createGroup("g2");
    for (const auto& g : {g1, g2})
        REQUIRE(
            w.c.post("/api/v1/groups/id/" + g + "/users/add", {{"user_ids", {w.bobId, w.carolId}}}, w.admin).status ==
            200);
    REQUIRE(w.c.del("/api/v1/users/" + w.bobId, w.admin).status == 200);
    CHECK(w.members(g1) == 1);
    CHECK(w.members(g2) == 1);
    REQUIRE(w.c.del("/api/v1/groups/id/" + g1 + "/delete", w.admin).status == 200);
    CHECK(w.members(g1) == 0);
    auto carolGroups = w.c.get("/api/v1/groups/users/" + w.carolId, w.admin).json();
    REQUIRE(carolGroups.size() == 1);
    CHECK(carolGroups[0]["id"] == g2);
}
