// Two rosterd instances (two Apps, two Stores, two dispatchers) on one PostgreSQL database share
// the deliveries: every event arrives, none twice, each endpoint in order.
#include <catch2/catch.hpp>
#include <map>
#include <thread>

#include "integration/webhooks/webhook_fixture.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("two dispatchers on one PostgreSQL deliver 500 events with none sent twice") {
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver a, b;
    auto settings = merged(endpointSettings("a", a.url(), secret.path), endpointSettings("b", b.url(), secret.path));
    // Small batches and frequent polls: an instance that finds an endpoint taken by the other one
    // comes back soon, so both take turns instead of one doing everything.
    settings["webhooks.batch_size"] = "5";
    settings["webhooks.poll_interval"] = "5ms";
    std::string url = freshDatabaseUrl(db::Driver::Postgres);
    TestServer one(db::Driver::Postgres, settings, url);
    TestServer two(db::Driver::Postgres, settings, url);

    // Both write events, as two replicas behind a load balancer would.
    std::vector<std::string> first, second;
    std::thread writer([&] { second = appendEvents(two.app(), 250, "user.updated", 250); });
    first = appendEvents(one.app(), 250, "user.updated", 0);
    writer.join();

    REQUIRE(a.waitFor(500, std::chrono::seconds(60)));
    REQUIRE(b.waitFor(500, std::chrono::seconds(60)));
    REQUIRE(eventually([&] {
        return countDeliveries(one.app().store(), "a", "delivered") == 500 &&
               countDeliveries(one.app().store(), "b", "delivered") == 500;
    }));
    one.app().webhooks().drain();
    two.app().webhooks().drain();
    for (Receiver* r : {&a, &b}) {
        auto got = r->received();
        CHECK(got.size() == 500);
        std::map<std::string, int> seen;
        for (const auto& g : got) ++seen[g.header("webhook-id")];
        CHECK(seen.size() == 500);
        for (const auto& id : first) CHECK(seen[id] == 1);
        for (const auto& id : second) CHECK(seen[id] == 1);
        // Events written by one instance are appended in order, so they arrive in that order.
        std::vector<std::string> order;
        for (const auto& g : got)
            if (std::find(first.begin(), first.end(), g.header("webhook-id")) != first.end())
                order.push_back(g.header("webhook-id"));
        CHECK(order == first);
    }
    // Both instances did some of the work.
    double byOne =
        one.app().metrics().value("rosterd_webhook_deliveries_total", {{"endpoint", "a"}, {"result", "delivered"}}) +
        one.app().metrics().value("rosterd_webhook_deliveries_total", {{"endpoint", "b"}, {"result", "delivered"}});
    double byTwo =
        two.app().metrics().value("rosterd_webhook_deliveries_total", {{"endpoint", "a"}, {"result", "delivered"}}) +
        two.app().metrics().value("rosterd_webhook_deliveries_total", {{"endpoint", "b"}, {"result", "delivered"}});
    CHECK(byOne + byTwo == 1000);
    INFO("instance one delivered " << byOne << ", instance two " << byTwo);
    CHECK(byOne > 0);
    CHECK(byTwo > 0);
}
