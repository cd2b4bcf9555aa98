// applyPlan against a real store, both drivers: what it does when the store moved between the
// plan and the apply (a login's group sync, an admin's change), events included.
#include "sync/apply.h"

#include <catch2/catch.hpp>
#include <mutex>
#include <set>

#include "common/clock.h"
#include "support/test_database.h"
#include "webhooks/outbox.h"

using namespace rosterd;
using namespace rosterd::sync;

namespace {

void addUser(db::Transaction& tx, const std::string& id, bool active) {
    tx.exec(
        "INSERT INTO users (id, name, email, role, source, active, external_id, created_at, updated_at, "
        "last_active_at) VALUES ($1, $1, $2, 'user', 'ldap', $3, $4, 1, 1, 1)",
        {id, id + "@corp.example", db::val(active), "ext-" + id});
}

void addGroup(db::Transaction& tx, const std::string& id) {
    tx.exec(
        "INSERT INTO groups (id, name, source, external_id, created_at, updated_at) "
        "VALUES ($1, $1, 'ldap', $2, 1, 1)",
        {id, "ext-" + id});
}

std::int64_t count(db::Store& store, const std::string& sql) {
    return store.transact([&](db::Transaction& tx) { return tx.exec(sql).front().i64(0); });
}

}  // namespace

TEST_CASE("apply: rows that changed since the plan get no event of their own") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    test::TestDatabase t(driver);
    db::Store& store = t.store();
    store.transact([](db::Transaction& tx) {
        addUser(tx, "u1", true);
        addUser(tx, "u2", true);
        addUser(tx, "u3", false);  // already deactivated by someone else
        addGroup(tx, "g1");
        // Added meanwhile (e.g. by a login's group sync): the plan still lists it as new.
        tx.exec("INSERT INTO group_members (group_id, user_id, created_at) VALUES ('g1', 'u1', 1)");
    });
    Plan plan;
    plan.userIds = {"u1", "u2", "u3"};
    plan.groupIds = {"g1"};
    plan.memberAdds = {{0, 0}, {0, 1}};
    plan.userDeactivations = {{"u3", "ext-u3", "u3@corp.example"}};
    ManualClock clock;
    webhooks::Outbox outbox(clock);
    applyPlan(store, outbox, plan, ApplyOptions{});

    CHECK(count(store, "SELECT count(*) FROM group_members WHERE group_id = 'g1'") == 2);
    // The bulk insert failed on the existing pair and the batch was redone row-tolerantly:
    // the event names only the member really added.
    auto payload = store.transact([](db::Transaction& tx) {
        return tx.exec("SELECT payload FROM outbox WHERE type = 'group.members_changed'").front().str(0);
    });
    auto event = nlohmann::json::parse(payload);
    CHECK(event["added"] == nlohmann::json::array({"u2"}));
    CHECK(count(store, "SELECT count(*) FROM outbox WHERE type = 'group.members_changed'") == 1);
    // u3 was inactive already: no deactivation event for a row the apply did not change.
    CHECK(count(store, "SELECT count(*) FROM outbox WHERE type = 'user.deactivated'") == 0);
}

TEST_CASE("apply: many small batches (side by side on PostgreSQL) write every row and event once") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    test::TestDatabase t(driver);
    db::Store& store = t.store();
    // Already there: a user, a group, and the user's membership in it.
    store.transact([](db::Transaction& tx) {
        addUser(tx, "pre", true);
        addGroup(tx, "g0");
        tx.exec("INSERT INTO group_members (group_id, user_id, created_at) VALUES ('g0', 'pre', 1)");
    });
    Plan plan;
    const std::uint32_t users = 23, groups = 4;
    plan.userIds.push_back("pre");
    for (std::uint32_t i = 0; i < users; ++i) {
        std::string id = "u" + std::to_string(i);
        plan.userIds.push_back(id);
        plan.userCreates.push_back({id, {"ext-" + id, "uid=" + id + ",dc=x", id, id + "@corp.example", id}, {}, false});
    }
    plan.groupIds.push_back("g0");
    for (std::uint32_t g = 1; g < groups; ++g) {
        std::string id = "g" + std::to_string(g);
        plan.groupIds.push_back(id);
        plan.groupCreates.push_back({id, "ext-" + id, "cn=" + id + ",dc=x", id, {}});
    }
    for (std::uint32_t g = 0; g < groups; ++g)
        for (std::uint32_t u = 1 + g; u <= users; u += 2) plan.memberAdds.emplace_back(g, u);
    // The plan also lists the existing pair, in the fifth batch of two (still among group g0's
    // pairs): its transaction fails on it and is redone with the statement that skips existing
    // rows. On SQLite that transaction may hold earlier batches too; they are redone with it.
    plan.memberAdds.insert(plan.memberAdds.begin() + 9, {0, 0});

    ManualClock clock;
    webhooks::Outbox outbox(clock);
    ApplyOptions options;
    options.batchSize = 2;
    std::size_t progress = 0;
    std::mutex progressMutex;
    options.onProgress = [&](std::size_t done) {
        std::lock_guard lock(progressMutex);
        progress = std::max(progress, done);
    };
    applyPlan(store, outbox, plan, options);

    CHECK(progress == plan.changeCount());
    CHECK(count(store, "SELECT count(*) FROM users") == users + 1);
    CHECK(count(store, "SELECT count(*) FROM outbox WHERE type = 'user.created'") == users);
    CHECK(count(store, "SELECT count(DISTINCT payload) FROM outbox WHERE type = 'user.created'") == users);
    CHECK(count(store, "SELECT count(*) FROM groups") == groups);
    CHECK(count(store, "SELECT count(*) FROM group_members") == static_cast<std::int64_t>(plan.memberAdds.size()));
    // Every pair added is named by exactly one members_changed event; the existing one by none.
    std::multiset<std::pair<std::string, std::string>> named;
    store.transact([&](db::Transaction& tx) {
        for (auto row : tx.exec("SELECT payload FROM outbox WHERE type = 'group.members_changed'")) {
            auto e = nlohmann::json::parse(row.str(0));
            for (const auto& u : e["added"]) named.emplace(e["group"]["id"].get<std::string>(), u.get<std::string>());
        }
    });
    CHECK(named.size() == plan.memberAdds.size() - 1);
    CHECK(named.count({"g0", "pre"}) == 0);
    for (const auto& [g, u] : plan.memberAdds)
        if (u != 0) CHECK(named.count({plan.groupIds[g], plan.userIds[u]}) == 1);
}
