// The PostgreSQL dispatcher serves an endpoint under a lease taken in a short transaction: while a
// receiver hangs no transaction is open and no row is locked, and a lease whose replica died
// expires so another replica takes the endpoint over.
#include <catch2/catch.hpp>
#include <future>

#include "integration/webhooks/webhook_fixture.h"
#include "support/test_database.h"
#include "support/test_server.h"
#include "webhooks/delivery_store.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

namespace {

/// Lets a blocked receiver go when destroyed, so a failed assertion never leaves the dispatcher stuck.
struct Unblock {
    std::promise<void>& p;
    bool done = false;
    void operator()() {
        if (!done) p.set_value();
        done = true;
    }
    ~Unblock() { (*this)(); }
};

std::unique_ptr<db::Store> openStore(const std::string& url) {
    db::StoreConfig config;
    config.url = url;
    config.poolSize = 2;
    return db::Store::open(config);
}

}  // namespace

TEST_CASE("while a receiver hangs, the PostgreSQL dispatcher holds no transaction and no row lock") {
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    Receiver slow;
    slow.respond([released](const Received&, std::size_t) {
        released.wait();
        return Reply{};
    });
    auto settings = endpointSettings("slow", slow.url(), secret.path);
    settings["webhook.slow.timeout"] = "60s";
    TestServer server(db::Driver::Postgres, settings);
    Unblock unblock{release};
    auto ids = appendEvents(server.app(), 3);
    REQUIRE(eventually([&] { return slow.started() == 1; }));

    auto other = openStore(server.databaseUrl());
    // No session of this database sits idle inside a transaction across the POST (the workers'
    // and the settings poller's short reads pass through that state for an instant; one held
    // across the blocked POST would stay there until it is unblocked)...
    auto idle = [&] {
        return other->transact([](db::Transaction& tx) {
            return tx
                .exec(
                    "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND "
                    "pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")
                .front()
                .i64("n");
        });
    };
    CHECK(eventually([&] { return idle() == 0; }, std::chrono::seconds(5)));
    // ...and the endpoint's row and its deliveries can be written at once by another connection.
    CHECK_NOTHROW(other->transact([](db::Transaction& tx) {
        tx.exec("SELECT name FROM webhook_endpoints WHERE name = 'slow' FOR UPDATE NOWAIT");
        tx.exec("SELECT event_seq FROM webhook_deliveries WHERE endpoint = 'slow' FOR UPDATE NOWAIT");
    }));
    // The endpoint is leased instead, for one attempt's timeout and a margin.
    auto lease = other->transact([](db::Transaction& tx) {
        return tx.exec("SELECT claimed_by, claimed_until FROM webhook_endpoints WHERE name = 'slow'");
    });
    REQUIRE(lease.size() == 1);
    CHECK(lease.front().optStr("claimed_by").has_value());
    CHECK(lease.front().optI64("claimed_until") == server.clock().nowMillis() + 60'000 + 30'000);

    unblock();
    REQUIRE(slow.waitFor(3));
    REQUIRE(eventually([&] { return countDeliveries(server.app().store(), "slow", "delivered") == 3; }));
    auto got = slow.received();
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(got[i].header("webhook-id") == ids[i]);
    // The lease is handed back with the outcomes.
    CHECK(eventually([&] {
        return other
            ->transact([](db::Transaction& tx) {
                return tx.exec("SELECT claimed_by FROM webhook_endpoints WHERE name = 'slow'");
            })
            .front()
            .isNull("claimed_by");
    }));
}

TEST_CASE("an endpoint leased by a replica that died is taken over once the lease expires") {
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    TestServer server(db::Driver::Postgres, endpointSettings("a", receiver.url(), secret.path));
    auto& store = server.app().store();
    std::int64_t now = server.clock().nowMillis();
    REQUIRE(store.transact([&](db::Transaction& tx) {
        return webhooks::delivery_store::claimEndpoint(tx, "a", "replica-that-died", now, now + 40'000);
    }));

    auto ids = appendEvents(server.app(), 5);
    server.app().webhooks().drain();
    REQUIRE(eventually([&] { return countDeliveries(store, "a", "pending") == 5; }));
    server.app().webhooks().drain();
    // The endpoint is someone else's until the lease runs out: nothing is sent meanwhile (the
    // background workers are given half a second to do so).
    CHECK_FALSE(eventually([&] { return receiver.count() > 0; }, 500ms));
    CHECK(countDeliveries(store, "a", "pending") == 5);

    server.clock().advance(40s);
    server.app().webhooks().poke();
    REQUIRE(receiver.waitFor(5));
    REQUIRE(eventually([&] { return countDeliveries(store, "a", "delivered") == 5; }));
    auto got = receiver.received();
    REQUIRE(got.size() == 5);
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(got[i].header("webhook-id") == ids[i]);
}
