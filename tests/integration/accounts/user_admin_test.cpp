#include "accounts_fixture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
std::int64_t countRows(TestServer& s, const std::string& sql, const std::string& param) {
    return s.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, {param}).front().i64(0); });
}
}  // namespace

TEST_CASE("pending users reach only their own session endpoints") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"auth.enable_signup", "true"}});
    auto c = s.client();
    REQUIRE(signup(c, "Ada", "ada@example.com").status == 200);
    std::string pending = tokenOf(signup(c, "Pat", "pat@example.com"));
    CHECK(c.get("/api/v1/auths/", pending).status == 200);
    CHECK(c.get("/api/v1/users/permissions", pending).status == 200);
    auto r = c.get("/api/v1/users/search?query=a", pending);
    CHECK(r.status == 403);
    CHECK(detailOf(r).find("pending") != std::string::npos);
    CHECK(c.post("/api/v1/auths/api_key", nlohmann::json::object(), pending).status == 403);
}

TEST_CASE("admin endpoints refuse non-admins and anonymous callers") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string bobId = addUser(c, admin, "Bob", "bob@example.com", "user");
    std::string bob = tokenOf(signin(c, "bob@example.com"));
    CHECK(c.get("/api/v1/users/", bob).status == 403);
    CHECK(c.get("/api/v1/users/all", bob).status == 403);
    CHECK(c.post("/api/v1/users/create",
                 {{"name", "X"}, {"email", "x@example.com"}, {"password", "correct horse"}, {"role", "user"}}, bob)
              .status == 403);
    CHECK(c.post("/api/v1/auths/add",
                 {{"name", "X"}, {"email", "x@example.com"}, {"password", "correct horse"}, {"role", "user"}}, bob)
              .status == 403);
    CHECK(c.post("/api/v1/users/" + bobId + "/update", {{"role", "admin"}}, bob).status == 403);
    CHECK(c.del("/api/v1/users/" + bobId, bob).status == 403);
    CHECK(c.get("/api/v1/users/").status == 401);
    auto unknown = c.get("/api/v1/no/such/route", admin);
    CHECK(unknown.status == 404);
    CHECK(unknown.json().contains("detail"));
}

TEST_CASE("admins create, list, search, read, update and delete users") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string bobId = addUser(c, admin, "Bob Builder", "bob@example.com", "user");
    auto add = c.post(
        "/api/v1/auths/add",
        {{"name", "Carol"}, {"email", "carol@example.com"}, {"password", "correct horse"}, {"role", "admin"}}, admin);
    REQUIRE(add.status == 200);
    CHECK(add.json()["role"] == "admin");
    CHECK(c.post("/api/v1/users/create",
                 {{"name", "Bad"}, {"email", "bad@example.com"}, {"password", "correct horse"}, {"role", "root"}},
                 admin)
              .status == 400);
    CHECK(
        detailOf(c.post("/api/v1/users/create",
                        {{"name", "B"}, {"email", "BOB@example.com"}, {"password", "correct horse"}, {"role", "user"}},
                        admin)) == "Email taken");

    auto list = c.get("/api/v1/users/?order_by=name&direction=desc", admin).json();
    CHECK(list["total"] == 3);
    REQUIRE(list["users"].size() == 3);
    CHECK(list["users"][0]["name"] == "Carol");
    CHECK(list["users"][0]["group_ids"].is_array());
    CHECK(c.get("/api/v1/users/?order_by=password", admin).status == 400);
    CHECK(c.get("/api/v1/users/?page=0", admin).status == 400);
    auto found = c.get("/api/v1/users/?query=BUILD", admin).json();
    CHECK(found["total"] == 1);
    CHECK(c.get("/api/v1/users/?query=%25", admin).json()["total"] == 0);  // '%' is literal
    CHECK(c.get("/api/v1/users/all", admin).json()["total"] == 3);

    std::string bob = tokenOf(signin(c, "bob@example.com"));
    auto picker = c.get("/api/v1/users/search?query=car", bob).json();
    REQUIRE(picker["users"].size() == 1);
    CHECK(picker["users"][0].size() == 2);  // id and name only
    auto asUser = c.get("/api/v1/users/" + bobId, bob).json();
    CHECK_FALSE(asUser.contains("email"));
    CHECK(asUser["active"] == true);
    auto asAdmin = c.get("/api/v1/users/" + bobId, admin).json();
    CHECK(asAdmin["email"] == "bob@example.com");
    CHECK(c.get("/api/v1/users/nope", admin).status == 404);

    auto upd = c.post("/api/v1/users/" + bobId + "/update",
                      {{"name", "Robert"}, {"role", "admin"}, {"password", "another password"}}, admin);
    REQUIRE(upd.status == 200);
    CHECK(upd.json()["role"] == "admin");
    CHECK(signin(c, "bob@example.com", "another password").status == 200);

    REQUIRE(c.del("/api/v1/users/" + bobId, admin).status == 200);
    CHECK(c.del("/api/v1/users/" + bobId, admin).status == 404);
    CHECK(countRows(s, "SELECT count(*) FROM auths WHERE user_id = $1", bobId) == 0);
}

TEST_CASE("pagination returns 30 users a page") {
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    s.app().store().transact([](db::Transaction& tx) {
        for (int i = 0; i < 40; ++i)
            tx.exec(
                "INSERT INTO users (id, name, email, role, created_at, updated_at, last_active_at) VALUES ($1, $2, $3, "
                "'user', $4, $4, $4)",
                {"u" + std::to_string(i), "User " + std::to_string(i), "u" + std::to_string(i) + "@example.com",
                 std::int64_t(2'000'000'000 + i)});
    });
    auto p1 = c.get("/api/v1/users/?page=1", admin).json();
    auto p2 = c.get("/api/v1/users/?page=2", admin).json();
    CHECK(p1["total"] == 41);
    CHECK(p1["users"].size() == 30);
    CHECK(p2["users"].size() == 11);
}

TEST_CASE("the primary admin is protected and an active admin always remains") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    auto first = signup(c, "Ada", "ada@example.com").json();
    std::string primary = first["token"], primaryId = first["id"];
    std::string carolId = addUser(c, primary, "Carol", "carol@example.com", "admin");
    std::string carol = tokenOf(signin(c, "carol@example.com"));

    for (const auto& change : std::vector<nlohmann::json>{{{"role", "user"}},
                                                          {{"name", "Mallory"}},
                                                          {{"email", "m@example.com"}},
                                                          {{"password", "hijacked password"}}}) {
        INFO(change.dump());
        auto r = c.post("/api/v1/users/" + primaryId + "/update", change, carol);
        CHECK(r.status == 403);
        CHECK(detailOf(r).find("primary admin") != std::string::npos);
    }
    CHECK(c.del("/api/v1/users/" + primaryId, carol).status == 403);
    auto demoteSelf = c.post("/api/v1/users/" + primaryId + "/update", {{"role", "user"}}, primary);
    CHECK(demoteSelf.status == 403);
    CHECK(c.post("/api/v1/users/" + primaryId + "/update", {{"name", "Ada Lovelace"}}, primary).status == 200);
    auto selfDelete = c.del("/api/v1/users/" + carolId, carol);
    CHECK(selfDelete.status == 403);
    CHECK(detailOf(selfDelete).find("your own") != std::string::npos);
    // The primary admin may demote another admin; the primary itself remains an active admin.
    CHECK(c.post("/api/v1/users/" + carolId + "/update", {{"role", "user"}}, primary).status == 200);
    auto admins = s.app().store().transact([](db::Transaction& tx) {
        return tx.exec("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1").front().i64(0);
    });
    CHECK(admins == 1);
}

TEST_CASE("deleting a user removes credentials, keys and memberships in one transaction and emits user.deleted") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string bobId = addUser(c, admin, "Bob", "bob@example.com", "user");
    std::string bob = tokenOf(signin(c, "bob@example.com"));
    REQUIRE(c.post("/api/v1/auths/api_key", nlohmann::json::object(), bob).status == 200);
    s.app().store().transact([&](db::Transaction& tx) {
        tx.exec("INSERT INTO groups (id, name, created_at, updated_at) VALUES ('g1', 'staff', 1, 1)");
        tx.exec("INSERT INTO group_members (group_id, user_id, created_at) VALUES ('g1', $1, 1)", {bobId});
    });
    REQUIRE(c.del("/api/v1/users/" + bobId, admin).status == 200);
    CHECK(countRows(s, "SELECT count(*) FROM api_keys WHERE user_id = $1", bobId) == 0);
    CHECK(countRows(s, "SELECT count(*) FROM group_members WHERE user_id = $1", bobId) == 0);
    CHECK(countRows(s, "SELECT count(*) FROM auths WHERE user_id = $1", bobId) == 0);
    auto events = s.app().store().transact(
        [](db::Transaction& tx) { return tx.exec("SELECT type, payload FROM outbox ORDER BY seq"); });
    std::vector<std::string> types;
    for (auto row : events) {
        types.push_back(row.str(0));
        CHECK(row.str(1).find("$2b$") == std::string::npos);  // never a password hash
    }
    CHECK(types == std::vector<std::string>{"user.signup", "user.created", "user.deleted"});
}

TEST_CASE("role changes emit user.role_changed; a failed request emits nothing") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    std::string bobId = addUser(c, admin, "Bob", "bob@example.com", "user");
    addUser(c, admin, "Carl", "carl@example.com", "user");
    REQUIRE(c.post("/api/v1/users/" + bobId + "/update", {{"role", "admin"}}, admin).status == 200);
    CHECK(c.post("/api/v1/users/" + bobId + "/update", {{"email", "carl@example.com"}}, admin).status == 400);
    auto events =
        s.app().store().transact([](db::Transaction& tx) { return tx.exec("SELECT type FROM outbox ORDER BY seq"); });
    std::vector<std::string> types;
    for (auto row : events) types.push_back(row.str(0));
    CHECK(types == std::vector<std::string>{"user.signup", "user.created", "user.created", "user.role_changed"});
}

TEST_CASE("default and effective permissions") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"permissions.workspace.models", "false"}, {"permissions.chat.delete", "true"}});
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    addUser(c, admin, "Bob", "bob@example.com", "user");
    std::string bob = tokenOf(signin(c, "bob@example.com"));
    auto mine = c.get("/api/v1/users/permissions", bob).json();
    CHECK(mine["workspace"]["models"] == false);
    CHECK(mine["chat"]["delete"] == true);
    CHECK(c.get("/api/v1/users/permissions", admin).json()["workspace"]["models"] == true);
    CHECK(c.post("/api/v1/users/default/permissions", {{"chat", {{"delete", "yes"}}}}, admin).status == 400);
    REQUIRE(c.post("/api/v1/users/default/permissions", {{"workspace", {{"models", true}}}}, admin).status == 200);
    CHECK(c.get("/api/v1/users/default/permissions", admin).json()["workspace"]["models"] == true);
    CHECK(c.get("/api/v1/users/permissions", bob).json()["workspace"]["models"] == true);
    CHECK(c.get("/api/v1/users/default/permissions", bob).status == 403);
}
