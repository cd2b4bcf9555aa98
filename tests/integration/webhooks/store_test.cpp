// The delivery store on both drivers: fan-out, queue order, outcomes, pruning, retrying, locking.
#include <catch2/catch.hpp>

#include "support/test_database.h"
#include "webhooks/delivery_store.h"

using namespace rosterd;
using namespace rosterd::webhooks;
using rosterd::test::TestDatabase;

namespace {

std::int64_t appendRaw(db::Store& store, const std::string& id, const std::string& type, std::int64_t at) {
    return store.transact([&](db::Transaction& tx) {
        return tx
            .exec("INSERT INTO outbox (id, type, payload, occurred_at) VALUES ($1, $2, $3, $4) RETURNING seq",
                  {id, type, std::string("{\"id\":\"") + id + "\"}", at})
            .front()
            .i64("seq");
    });
}

std::vector<delivery_store::Route> routes() {
    return {{"all", {"*"}}, {"users", {"user.*"}}, {"one", {"group.deleted"}}};
}

}  // namespace

TEST_CASE("fan-out copies each event once to every matching endpoint") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto& store = t.store();
    store.transact([](db::Transaction& tx) { delivery_store::registerEndpoints(tx, {"all", "users", "one"}, 1); });
    appendRaw(store, "e1", "user.created", 10);
    appendRaw(store, "e2", "group.deleted", 11);
    appendRaw(store, "e3", "sync.completed", 12);
    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::fanOut(tx, routes(), 100, 2); }) == 2);
    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::fanOut(tx, routes(), 100, 10); }) == 1);
    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::fanOut(tx, routes(), 100, 10); }) == 0);
    auto rows = store.transact([](db::Transaction& tx) {
        return tx.exec(
            "SELECT endpoint, event_id, status, queued_at, next_attempt_at FROM webhook_deliveries ORDER BY endpoint, "
            "event_seq");
    });
    std::vector<std::string> got;
    for (auto r : rows) {
        got.push_back(r.str("endpoint") + ":" + r.str("event_id"));
        CHECK(r.str("status") == "pending");
        CHECK(r.i64("next_attempt_at") == 100);
    }
    CHECK(got == std::vector<std::string>{"all:e1", "all:e2", "all:e3", "one:e2", "users:e1"});
}

TEST_CASE("the queue head is in event order and outcomes move rows between states") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto& store = t.store();
    store.transact([](db::Transaction& tx) { delivery_store::registerEndpoints(tx, {"all"}, 1); });
    std::vector<std::int64_t> seqs;
    for (int i = 0; i < 5; ++i) seqs.push_back(appendRaw(store, "e" + std::to_string(i), "user.updated", 10 + i));
    store.transact([](db::Transaction& tx) { delivery_store::fanOut(tx, {{"all", {"*"}}}, 100, 100); });
    auto head = store.transact([](db::Transaction& tx) { return delivery_store::pendingHead(tx, "all", 3); });
    REQUIRE(head.size() == 3);
    CHECK(head[0].event.id == "e0");
    CHECK(head[2].event.id == "e2");
    CHECK(head[1].event.type == "user.updated");
    CHECK(head[1].event.timestampMs == 11);
    CHECK(head[1].event.data == nlohmann::json({{"id", "e1"}}));

    store.transact([&](db::Transaction& tx) {
        delivery_store::recordOutcomes(tx, "all",
                                       {{seqs[0], Verdict::Delivered, 200, "", 0},
                                        {seqs[1], Verdict::Dead, 404, "HTTP 404 Not Found", 0},
                                        {seqs[2], Verdict::Retry, 0, "Connection refused", 5000}},
                                       200);
    });
    head = store.transact([](db::Transaction& tx) { return delivery_store::pendingHead(tx, "all", 10); });
    REQUIRE(head.size() == 3);
    CHECK(head[0].event.id == "e2");
    CHECK(head[0].attempts == 1);
    CHECK(head[0].nextAttemptAt == 5000);

    auto sums = store.transact([](db::Transaction& tx) { return delivery_store::summaries(tx); });
    REQUIRE(sums.size() == 1);
    CHECK(sums[0].pending == 3);
    CHECK(sums[0].delivered == 1);
    CHECK(sums[0].dead == 1);
    CHECK(sums[0].lastError == std::optional<std::string>("Connection refused"));
    CHECK(sums[0].lastSuccessAt == std::optional<std::int64_t>(200));

    auto dead = store.transact(
        [](db::Transaction& tx) { return delivery_store::list(tx, std::string("dead"), std::nullopt, 10); });
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].eventId == "e1");
    CHECK(dead[0].lastStatus == std::optional<int>(404));

    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::retryDead(tx, "e1", std::nullopt, 300); }) ==
          1);
    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::retryDead(tx, "e1", std::nullopt, 300); }) ==
          0);
    head = store.transact([](db::Transaction& tx) { return delivery_store::pendingHead(tx, "all", 10); });
    REQUIRE(head.size() == 4);
    CHECK(head[0].event.id == "e1");  // back at the front: it is the oldest
    CHECK(head[0].attempts == 0);
    CHECK(head[0].queuedAt == 300);
    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::eventExists(tx, "e4"); }));
    CHECK_FALSE(store.transact([](db::Transaction& tx) { return delivery_store::eventExists(tx, "nope"); }));
}

TEST_CASE("pruning removes old delivered rows and events no delivery needs") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto& store = t.store();
    auto s0 = appendRaw(store, "e0", "user.updated", 10);
    auto s1 = appendRaw(store, "e1", "user.updated", 10);
    appendRaw(store, "e2", "user.updated", 10);
    store.transact([](db::Transaction& tx) { delivery_store::fanOut(tx, {{"a", {"user.*"}}}, 100, 100); });
    store.transact([&](db::Transaction& tx) {
        delivery_store::recordOutcomes(tx, "a",
                                       {{s0, Verdict::Delivered, 200, "", 0}, {s1, Verdict::Dead, 400, "bad", 0}}, 500);
    });
    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::prune(tx, 500); }) == 0);  // not older yet
    CHECK(store.transact([](db::Transaction& tx) { return delivery_store::prune(tx, 501); }) == 1);
    auto left = store.transact([](db::Transaction& tx) { return tx.exec("SELECT id FROM outbox ORDER BY seq"); });
    REQUIRE(left.size() == 2);  // e1 (dead) and e2 (pending) are still needed
    CHECK(left[0].str("id") == "e1");
    CHECK(left[1].str("id") == "e2");
}

TEST_CASE("an endpoint is served by one session at a time") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto& store = t.store();
    store.transact([](db::Transaction& tx) { delivery_store::registerEndpoints(tx, {"a", "b"}, 1); });
    if (driver == db::Driver::Postgres) {
        auto first = store.begin();
        CHECK(delivery_store::lockEndpoint(first, "a"));
        auto second = store.begin();
        CHECK_FALSE(delivery_store::lockEndpoint(second, "a"));  // skipped, not waited for
        CHECK(delivery_store::lockEndpoint(second, "b"));
        first.commit();
        auto third = store.begin();
        CHECK(delivery_store::lockEndpoint(third, "a"));
    } else {
        // One process per SQLite file: the dispatcher keeps endpoints apart in memory.
        auto tx = store.begin(db::TxMode::Read);
        CHECK(delivery_store::lockEndpoint(tx, "a"));
    }
}

TEST_CASE("fan-out on PostgreSQL is taken by one session at a time") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto& store = t.store();
    appendRaw(store, "e0", "user.updated", 10);
    if (driver == db::Driver::Postgres) {
        auto first = store.begin();
        CHECK(delivery_store::fanOut(first, {{"a", {"*"}}}, 100, 10) == 1);
        auto second = store.begin();
        CHECK(delivery_store::fanOut(second, {{"a", {"*"}}}, 100, 10) == 0);  // does not wait
        second.commit();
        first.commit();
    } else {
        CHECK(store.transact([](db::Transaction& tx) {
            return delivery_store::fanOut(tx, {{"a", {"*"}}}, 100, 10);
        }) == 1);
    }
    auto n =
        store.transact([](db::Transaction& tx) { return tx.exec("SELECT COUNT(*) AS n FROM webhook_deliveries"); });
    CHECK(n.front().i64("n") == 1);
}

TEST_CASE("an endpoint lease is held until released or expired, and only its owner renews it") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto& store = t.store();
    store.transact([](db::Transaction& tx) { delivery_store::registerEndpoints(tx, {"a", "b"}, 1); });
    auto claim = [&](const std::string& name, const std::string& owner, std::int64_t now, std::int64_t until) {
        return store.transact(
            [&](db::Transaction& tx) { return delivery_store::claimEndpoint(tx, name, owner, now, until); });
    };
    auto renew = [&](const std::string& name, const std::string& owner, std::int64_t until) {
        return store.transact(
            [&](db::Transaction& tx) { return delivery_store::renewEndpoint(tx, name, owner, until); });
    };
    CHECK(claim("a", "one", 0, 100));
    CHECK_FALSE(claim("a", "two", 50, 150));  // taken and not expired
    CHECK(claim("b", "two", 50, 150));        // other endpoints stay free
    CHECK(claim("a", "one", 60, 160));        // the owner may claim again
    CHECK_FALSE(renew("a", "two", 500));
    CHECK(renew("a", "one", 200));
    CHECK_FALSE(claim("a", "two", 199, 300));
    CHECK(claim("a", "two", 200, 300));   // expired: taken over
    CHECK_FALSE(renew("a", "one", 400));  // the old owner has lost it
    store.transact([](db::Transaction& tx) { delivery_store::releaseEndpoint(tx, "a", "one"); });  // not its own
    CHECK_FALSE(claim("a", "one", 250, 350));
    store.transact([](db::Transaction& tx) { delivery_store::releaseEndpoint(tx, "a", "two"); });
    CHECK(claim("a", "one", 250, 350));
}
