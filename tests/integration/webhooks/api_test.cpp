// /api/v1/webhooks/*: status, dead events, retrying them; admins only.
#include <catch2/catch.hpp>

#include "integration/accounts/accounts_fixture.h"
#include "integration/webhooks/webhook_fixture.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("dead events are listed and can be retried through the admin API") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    std::atomic<int> answer{400};
    receiver.respond([&](const Received&, std::size_t) { return Reply{answer.load(), {}, "no such hook"}; });
    TestServer server(driver, endpointSettings("ops", receiver.url("/secret/path"), secret.path, "sync.*"));
    auto c = server.client();
    std::string admin = tokenOf(signup(c, "Admin", "admin@example.com"));
    std::string userId = addUser(c, admin, "Bob", "bob@example.com", "user");
    std::string user = tokenOf(signin(c, "bob@example.com"));

    auto ids = appendEvents(server.app(), 1, "sync.failed");
    REQUIRE(eventually([&] { return deliveryStatus(server.app().store(), ids[0], "ops") == "dead"; }));
    CHECK(receiver.count() == 1);  // a 400 is not retried

    auto list = c.get("/api/v1/webhooks/", admin);
    INFO(list.body);
    REQUIRE(list.status == 200);
    auto eps = list.json();
    REQUIRE(eps.size() == 1);
    CHECK(eps[0].at("name") == "ops");
    CHECK(eps[0].at("url") == "http://127.0.0.1:" + std::to_string(receiver.port()) + "/...");
    CHECK(eps[0].at("dead") == 1);
    CHECK(eps[0].at("pending") == 0);
    CHECK(eps[0].at("delivered") == 0);
    CHECK(eps[0].at("last_status") == 400);
    CHECK(eps[0].at("last_error").get<std::string>().find("400") != std::string::npos);
    CHECK(eps[0].at("format") == "standard");

    auto dead = c.get("/api/v1/webhooks/events?status=dead", admin);
    REQUIRE(dead.status == 200);
    REQUIRE(dead.json().size() == 1);
    CHECK(dead.json()[0].at("id") == ids[0]);
    CHECK(dead.json()[0].at("type") == "sync.failed");
    CHECK(dead.json()[0].at("attempts") == 1);
    CHECK(c.get("/api/v1/webhooks/events?status=delivered", admin).json().empty());
    CHECK(c.get("/api/v1/webhooks/events?status=lost", admin).status == 400);
    CHECK(c.get("/api/v1/webhooks/events?limit=abc", admin).status == 400);

    // Only admins.
    CHECK(c.get("/api/v1/webhooks/").status == 401);
    CHECK(c.get("/api/v1/webhooks/", user).status == 403);
    CHECK(c.get("/api/v1/webhooks/events?status=dead", user).status == 403);
    CHECK(c.post("/api/v1/webhooks/events/" + ids[0] + "/retry", nlohmann::json::object(), user).status == 403);
    CHECK(deliveryStatus(server.app().store(), ids[0], "ops") == "dead");

    auto missing = c.post("/api/v1/webhooks/events/no-such-event/retry", nlohmann::json::object(), admin);
    CHECK(missing.status == 404);
    CHECK(detailOf(missing).find("no-such-event") != std::string::npos);

    answer = 200;
    auto retried = c.post("/api/v1/webhooks/events/" + ids[0] + "/retry", nlohmann::json::object(), admin);
    INFO(retried.body);
    REQUIRE(retried.status == 200);
    CHECK(retried.json().at("retried") == 1);
    REQUIRE(receiver.waitFor(2));
    REQUIRE(eventually([&] { return deliveryStatus(server.app().store(), ids[0], "ops") == "delivered"; }));
    auto again = c.post("/api/v1/webhooks/events/" + ids[0] + "/retry", nlohmann::json::object(), admin);
    CHECK(again.status == 409);
    CHECK(c.get("/api/v1/webhooks/", admin).json()[0].at("delivered") == 1);
    (void)userId;

    auto metrics = c.get("/metrics");
    CHECK(metrics.body.find("rosterd_webhook_deliveries_total{endpoint=\"ops\",result=\"dead\"} 1") !=
          std::string::npos);
    CHECK(metrics.body.find("rosterd_webhook_queue_depth{endpoint=\"ops\"} 0") != std::string::npos);
}
