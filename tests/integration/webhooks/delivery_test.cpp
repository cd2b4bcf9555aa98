// End-to-end delivery against real HTTP receivers on loopback, on both drivers.
#include <catch2/catch.hpp>
#include <future>
#include <set>

#include "integration/webhooks/webhook_fixture.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

TEST_CASE("standard deliveries carry a Standard Webhooks signature that verifies independently") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    TestServer server(driver, endpointSettings("audit", receiver.url("/in?x=1"), secret.path));

    std::string id = server.app().store().transact([&](db::Transaction& tx) {
        return server.app().outbox().append(tx, "group.created", {{"id", "g1"}, {"name", "Ops"}});
    });
    REQUIRE(receiver.waitFor(1));
    REQUIRE(eventually([&] { return deliveryStatus(server.app().store(), id, "audit") == "delivered"; }));
    auto got = receiver.received();
    REQUIRE(got.size() == 1);
    const Received& r = got[0];
    CHECK(r.path == "/in?x=1");
    CHECK(r.header("content-type") == "application/json");
    CHECK(r.header("webhook-id") == id);
    CHECK(r.header("webhook-timestamp") == std::to_string(server.clock().nowSeconds()));
    CHECK(r.header("webhook-signature") == expectedSignature(secret.key, r));
    // A different key does not verify.
    CHECK(r.header("webhook-signature") != expectedSignature(randomBytes(32), r));
    auto body = nlohmann::json::parse(r.body);
    CHECK(body.at("type") == "group.created");
    CHECK(body.at("data") == nlohmann::json({{"id", "g1"}, {"name", "Ops"}}));
    CHECK(body.at("timestamp").get<std::string>().size() == 24);  // 2026-11-29T02:20:50.123Z
    CHECK(server.app().metrics().value("rosterd_webhook_deliveries_total",
                                       {{"endpoint", "audit"}, {"result", "delivered"}}) == 1);
}

TEST_CASE("a 500 then a 200 delivers the event exactly once, after the backoff") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    receiver.respond([](const Received&, std::size_t n) {
        return Reply{n == 0 ? 500 : 200, {}, n == 0 ? "boom" : ""};
    });
    TestServer server(driver, endpointSettings("a", receiver.url(), secret.path));
    auto& store = server.app().store();

    auto ids = appendEvents(server.app(), 1);
    REQUIRE(receiver.waitFor(1));
    REQUIRE(eventually([&] { return attemptsOf(store, ids[0], "a") == 1; }));
    CHECK(deliveryStatus(store, ids[0], "a") == "pending");
    // Not due yet: a round on this thread sends nothing.
    server.app().webhooks().drain();
    CHECK(receiver.count() == 1);
    auto events = store.transact([](db::Transaction& tx) {
        return tx.exec("SELECT next_attempt_at, last_status, last_error FROM webhook_deliveries");
    });
    std::int64_t wait = events.front().i64("next_attempt_at") - server.clock().nowMillis();
    CHECK(wait >= 4000);  // 5s minus at most 20% jitter
    CHECK(wait <= 5000);
    CHECK(events.front().i64("last_status") == 500);
    CHECK(events.front().str("last_error").find("boom") != std::string::npos);

    server.clock().advance(5s);
    server.app().webhooks().poke();
    REQUIRE(receiver.waitFor(2));
    REQUIRE(eventually([&] { return deliveryStatus(store, ids[0], "a") == "delivered"; }));
    server.app().webhooks().drain();
    auto got = receiver.received();
    REQUIRE(got.size() == 2);
    CHECK(got[0].header("webhook-id") == ids[0]);
    CHECK(got[1].header("webhook-id") == ids[0]);
    CHECK(got[1].body == got[0].body);
    CHECK(attemptsOf(store, ids[0], "a") == 2);
    CHECK(server.app().metrics().value("rosterd_webhook_deliveries_total", {{"endpoint", "a"}, {"result", "retry"}}) ==
          1);
}

TEST_CASE("4xx other than 408 and 429 is dead at once and later events still go out") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    receiver.respond([](const Received&, std::size_t n) { return Reply{n == 0 ? 422 : 204, {}, ""}; });
    TestServer server(driver, endpointSettings("a", receiver.url(), secret.path));
    auto& store = server.app().store();
    auto ids = appendEvents(server.app(), 2);
    REQUIRE(eventually([&] { return deliveryStatus(store, ids[1], "a") == "delivered"; }));
    CHECK(deliveryStatus(store, ids[0], "a") == "dead");
    CHECK(attemptsOf(store, ids[0], "a") == 1);
    CHECK(receiver.count() == 2);
}

TEST_CASE("429 with Retry-After is retried no earlier than the receiver asked") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    receiver.respond([](const Received&, std::size_t n) {
        return n == 0 ? Reply{429, {{"Retry-After", "120"}}, "slow down"} : Reply{200, {}, ""};
    });
    TestServer server(driver, endpointSettings("a", receiver.url(), secret.path));
    auto& store = server.app().store();
    auto ids = appendEvents(server.app(), 2);
    REQUIRE(eventually([&] { return attemptsOf(store, ids[0], "a") == 1; }));
    // The backoff alone (5s) would allow a retry now; Retry-After does not.
    server.clock().advance(60s);
    server.app().webhooks().drain();
    CHECK(receiver.count() == 1);
    CHECK(deliveryStatus(store, ids[1], "a") == "pending");  // order: the second waits behind the first
    server.clock().advance(61s);
    server.app().webhooks().poke();
    REQUIRE(eventually([&] { return deliveryStatus(store, ids[1], "a") == "delivered"; }));
    CHECK(deliveryStatus(store, ids[0], "a") == "delivered");
    auto got = receiver.received();
    REQUIRE(got.size() == 3);
    CHECK(got[1].header("webhook-id") == ids[0]);
    CHECK(got[2].header("webhook-id") == ids[1]);
}

TEST_CASE("a delivery failing for longer than the retry window is marked dead") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    receiver.respond([](const Received&, std::size_t) { return Reply{503, {}, "down"}; });
    auto settings =
        merged(endpointSettings("a", receiver.url(), secret.path),
               {{"webhooks.backoff_initial", "1s"}, {"webhooks.backoff_max", "4s"}, {"webhooks.retry_for", "10s"}});
    TestServer server(driver, settings);
    auto& store = server.app().store();
    auto ids = appendEvents(server.app(), 1);
    // Each advance of 4s (the longest delay) makes exactly one more attempt due.
    for (int attempt = 1; attempt <= 20; ++attempt) {
        REQUIRE(eventually(
            [&] { return attemptsOf(store, ids[0], "a") >= attempt || deliveryStatus(store, ids[0], "a") == "dead"; }));
        if (deliveryStatus(store, ids[0], "a") == "dead") break;
        server.clock().advance(4s);
        server.app().webhooks().poke();
    }
    REQUIRE(eventually([&] { return deliveryStatus(store, ids[0], "a") == "dead"; }));
    // 1s, 2s, 4s, 4s... within 10s: a handful of attempts, not one and not twenty.
    CHECK(attemptsOf(store, ids[0], "a") >= 3);
    CHECK(attemptsOf(store, ids[0], "a") <= 6);
    auto err = store.transact([](db::Transaction& tx) { return tx.exec("SELECT last_error FROM webhook_deliveries"); });
    CHECK(err.front().str("last_error").find("gave up") != std::string::npos);
}

TEST_CASE("a slow receiver does not hold up another endpoint") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    Receiver slow;
    slow.respond([released](const Received&, std::size_t) {
        released.wait();
        return Reply{};
    });
    Receiver fast;
    auto settings =
        merged(endpointSettings("slow", slow.url(), secret.path), endpointSettings("fast", fast.url(), secret.path));
    settings["webhook.slow.timeout"] = "60s";
    TestServer server(driver, settings);
    // Declared after the server so it is destroyed first: the blocked receiver is always let go
    // before the dispatcher is stopped, even when an assertion fails.
    struct Unblock {
        std::promise<void>& p;
        bool done = false;
        void operator()() {
            if (!done) p.set_value();
            done = true;
        }
        ~Unblock() { (*this)(); }
    } unblock{release};
    auto ids = appendEvents(server.app(), 20);
    REQUIRE(fast.waitFor(20));
    REQUIRE(eventually([&] { return countDeliveries(server.app().store(), "fast", "delivered") == 20; }));
    // Its first request may still be on its way when the fast endpoint is done; then it stays
    // stuck on that first event.
    CHECK(eventually([&] { return slow.started() == 1; }));
    CHECK(slow.count() == 0);
    CHECK(countDeliveries(server.app().store(), "slow", "pending") == 20);
    unblock();
    REQUIRE(slow.waitFor(20));
    REQUIRE(eventually([&] { return countDeliveries(server.app().store(), "slow", "delivered") == 20; }));
    auto got = slow.received();
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(got[i].header("webhook-id") == ids[i]);
}

TEST_CASE("a rolled-back transaction emits nothing") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    TestServer server(driver, endpointSettings("a", receiver.url(), secret.path));
    auto& app = server.app();
    CHECK_THROWS_AS(app.store().transact([&](db::Transaction& tx) {
        app.outbox().append(tx, "user.created", {{"id", "ghost"}});
        throw std::runtime_error("the change failed");
    }),
                    std::runtime_error);
    {
        auto tx = app.store().begin();
        app.outbox().append(tx, "user.created", {{"id", "abandoned"}});
    }  // never committed
    auto ids = appendEvents(app, 1, "user.created");
    REQUIRE(eventually([&] { return deliveryStatus(app.store(), ids[0], "a") == "delivered"; }));
    app.webhooks().drain();
    auto got = receiver.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].header("webhook-id") == ids[0]);
    auto outbox = app.store().transact([](db::Transaction& tx) { return tx.exec("SELECT COUNT(*) AS n FROM outbox"); });
    CHECK(outbox.front().i64("n") == 1);
}

TEST_CASE("events survive a receiver outage and a restart: all 200 delivered in order, none lost") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    int port = freePort();  // nothing listens there yet: connections are refused
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    auto settings = endpointSettings("a", url, secret.path);
    std::string databaseUrl = freshDatabaseUrl(driver);
    std::vector<std::string> ids;
    {
        TestServer first(driver, settings, databaseUrl);
        ids = appendEvents(first.app(), 200);
        REQUIRE(eventually([&] { return attemptsOf(first.app().store(), ids[0], "a") >= 1; }));
        REQUIRE(eventually([&] { return countDeliveries(first.app().store(), "a", "pending") == 200; }));
    }  // rosterd goes away with everything still pending
    Receiver receiver(port);
    TestServer second(driver, settings, databaseUrl);
    second.clock().advance(10min);
    second.app().webhooks().poke();
    REQUIRE(receiver.waitFor(200));
    REQUIRE(eventually([&] { return countDeliveries(second.app().store(), "a", "delivered") == 200; }));
    second.app().webhooks().drain();
    auto got = receiver.received();
    REQUIRE(got.size() == 200);
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(got[i].header("webhook-id") == ids[i]);
}

TEST_CASE("each endpoint gets only the events its patterns select, in its own format") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver users, chat;
    auto settings = merged(endpointSettings("users", users.url(), secret.path, "user.*, sync.failed"),
                           endpointSettings("chat", chat.url("/services/T0/B0/xyz"), "", "group.created", "slack"));
    TestServer server(driver, settings);
    auto& app = server.app();
    app.store().transact([&](db::Transaction& tx) {
        app.outbox().append(tx, "user.created", {{"id", "u1"}, {"name", "Ada"}});
        app.outbox().append(tx, "group.created", {{"id", "g1"}, {"name", "Ops"}});
        app.outbox().append(tx, "sync.completed", nlohmann::json::object());
        app.outbox().append(tx, "sync.failed", {{"error", "directory unreachable"}});
    });
    REQUIRE(users.waitFor(2));
    REQUIRE(chat.waitFor(1));
    REQUIRE(eventually([&] { return countDeliveries(app.store(), "users", "delivered") == 2; }));
    app.webhooks().drain();
    auto u = users.received();
    REQUIRE(u.size() == 2);
    CHECK(nlohmann::json::parse(u[0].body).at("type") == "user.created");
    CHECK(nlohmann::json::parse(u[1].body).at("type") == "sync.failed");
    auto c = chat.received();
    REQUIRE(c.size() == 1);
    CHECK(nlohmann::json::parse(c[0].body) == nlohmann::json({{"text", "Group created: Ops"}}));
    CHECK(c[0].header("webhook-signature").empty());  // no secret configured for it
}

TEST_CASE("a signup reaches an openwebui endpoint in Open WebUI's own shape") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    Receiver receiver;
    TestServer server(driver, endpointSettings("owui", receiver.url(), "", "user.signup", "openwebui"));
    auto r =
        server.client().post("/api/v1/auths/signup",
                             {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"password", "correct horse"}});
    REQUIRE(r.status == 200);
    REQUIRE(receiver.waitFor(1));
    auto body = nlohmann::json::parse(receiver.received()[0].body);
    CHECK(body.at("action") == "signup");
    CHECK(body.at("message") == "New user signed up: Ada Lovelace");
    REQUIRE(body.at("user").is_string());
    auto user = nlohmann::json::parse(body.at("user").get<std::string>());
    CHECK(user.at("email") == "ada@example.com");
    CHECK(user.at("id") == r.json().at("id"));
    CHECK(body.at("user").get<std::string>().find("password") == std::string::npos);
    CHECK(body.at("user").get<std::string>().find("$2b$") == std::string::npos);
}

TEST_CASE("delivered rows are pruned after the retention, dead ones are kept") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver receiver;
    receiver.respond([](const Received&, std::size_t n) { return Reply{n == 0 ? 410 : 200, {}, ""}; });
    TestServer server(driver,
                      merged(endpointSettings("a", receiver.url(), secret.path), {{"webhooks.retention", "7d"}}));
    auto& store = server.app().store();
    auto ids = appendEvents(server.app(), 3);
    REQUIRE(eventually([&] { return countDeliveries(store, "a", "delivered") == 2; }));
    server.clock().advance(std::chrono::hours(24 * 6));
    server.app().webhooks().drain();
    CHECK(countDeliveries(store, "a", "delivered") == 2);
    server.clock().advance(std::chrono::hours(24 * 2));
    server.app().webhooks().drain();
    // A worker may have taken this prune before the test thread's drain(): it commits on its own.
    CHECK(eventually([&] { return countDeliveries(store, "a", "delivered") == 0; }));
    CHECK(countDeliveries(store, "a", "dead") == 1);
    auto outbox = store.transact([](db::Transaction& tx) { return tx.exec("SELECT id FROM outbox"); });
    REQUIRE(outbox.size() == 1);  // only the event a dead delivery still needs
    CHECK(outbox.front().str("id") == ids[0]);
}

TEST_CASE("endpoints can be added at runtime; queues are kept by endpoint name") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string dir = makeTempDir("rosterd-wh");
    Secret secret = makeSecret(dir);
    Receiver a, b;
    TestServer server(driver, endpointSettings("a", a.url(), secret.path));
    auto& app = server.app();
    appendEvents(app, 1);
    REQUIRE(a.waitFor(1));

    daemon::ConfigReader reader;
    for (const auto& [full, value] :
         merged(endpointSettings("a", a.url(), secret.path), endpointSettings("b", b.url(), secret.path))) {
        auto dot = full.rfind('.');
        reader.set(full.substr(0, dot), full.substr(dot + 1), value);
    }
    reader.set("database", "url", server.databaseUrl());
    REQUIRE(app.reload(daemon::loadConfig(reader)));  // what SIGHUP does
    CHECK(app.webhooks().endpoints().size() == 2);
    appendEvents(app, 1, "sync.completed", 1);
    REQUIRE(a.waitFor(2));
    REQUIRE(b.waitFor(1));
    app.webhooks().drain();
    CHECK(b.count() == 1);  // only what was appended after it appeared
}
