// applyPlan against a real store, both drivers: what it does when the store moved between the
// plan and the apply (a login's group sync, an admin's change), events included.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "sync/apply.h"
#include "support/test_database.h"
#include "webhooks/outbox.h"

using namespace rosterd;
using namespace rosterd::sync;

namespace {

void addUser(db::Transaction& tx, const std::string& id, bool active) {
    tx.exec("INSERT INTO users (id, name, email, role, source, active, external_id, created_at, updated_at, "
            "last_active_at) VALUES ($1, $1, $2, 'user', 'ldap', $3, $4, 1, 1, 1)",
            {id, id + "@corp.example", db::val(active), "ext-" + id});
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
        tx.exec("INSERT INTO groups (id, name, source, external_id, created_at, updated_at) "
                "VALUES ('g1', 'staff', 'ldap', 'ext-g1', 1, 1)");
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
