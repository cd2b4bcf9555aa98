// CreatesAsRead against a real store, both drivers: users queued from the reading thread are
// written in batches with their events; a failed write stops it without blocking the reader.
#include "sync/creates_as_read.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "support/test_database.h"
#include "webhooks/outbox.h"

using namespace rosterd;
using namespace rosterd::sync;

namespace {

DirUser person(int i) {
    std::string n = std::to_string(i);
    n.insert(n.begin(), 'p');
    return {"uuid-" + n, "uid=" + n + ",dc=x", n, n + "@example.org", "Person " + n};
}

std::function<std::string()> counterIds() {
    auto n = std::make_shared<int>(0);
    return [n] { return "id-" + std::to_string(++*n); };
}

std::int64_t countIn(db::Store& store, const std::string& sql) {
    return store.transact([&](db::Transaction& tx) { return tx.exec(sql).front().i64(0); });
}

// A fresh store of the driver under test, and the outbox the creates append to.
struct Setup {
    explicit Setup(db::Driver driver) : t(driver), outbox(clock) {}
    db::Store& store() { return t.store(); }
    test::TestDatabase t;
    ManualClock clock;
    webhooks::Outbox outbox;
};

}  // namespace

TEST_CASE("creates as read: every queued user is written once, with its event, in batches") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    Setup t(driver);
    std::size_t lastQueued = 0, lastWritten = 0;
    CreatesAsRead::Options o;
    o.values = {accounts::Role::Pending, 1234};
    o.batchSize = 3;
    o.onProgress = [&](std::size_t queued, std::size_t written) {
        lastQueued = queued;
        lastWritten = written;
    };
    CreatesAsRead creates(t.store(), t.outbox, o, counterIds());
    for (std::uint32_t i = 0; i < 10; ++i) creates.add(person(static_cast<int>(i)), i * 2);  // every other index
    creates.finish();

    CHECK(creates.written() == 10);
    CHECK(lastQueued == 10);
    CHECK(lastWritten == 10);
    REQUIRE(creates.queuedCount() == 10);
    const WrittenUsers queued = creates.takeQueued();
    REQUIRE(queued.users.size() == 10);
    REQUIRE(queued.ids.size() == 10);
    CHECK(queued.users[3] == 6);
    CHECK(queued.ids[3] == "id-4");
    CHECK(countIn(t.store(),
                  "SELECT count(*) FROM users WHERE source = 'ldap' AND role = 'pending' AND created_at = 1234") == 10);
    CHECK(countIn(t.store(),
                  "SELECT count(*) FROM users WHERE id = 'id-4' AND external_id = 'uuid-p3' AND "
                  "email = 'p3@example.org' AND external_dn = 'uid=p3,dc=x' AND username = 'p3'") == 1);
    CHECK(countIn(t.store(), "SELECT count(*) FROM outbox WHERE type = 'user.created'") == 10);
    auto payload = t.store().transact([](db::Transaction& tx) {
        return tx.exec("SELECT payload FROM outbox WHERE payload LIKE '%\"id\":\"id-4\"%'").front().str(0);
    });
    auto event = nlohmann::json::parse(payload);
    // The whole user, as every user.created event carries it (docs/webhooks.md, "Event data").
    CHECK(event == nlohmann::json{{"id", "id-4"},
                                  {"name", "Person p3"},
                                  {"email", "p3@example.org"},
                                  {"role", "pending"},
                                  {"profile_image_url", "/user.png"},  // the default picture, as the API shows it
                                  {"source", "ldap"},
                                  {"active", true},
                                  {"is_primary_admin", false},
                                  {"info", nlohmann::json::object()},
                                  {"created_at", 1234},
                                  {"updated_at", 1234},
                                  {"last_active_at", 1234},
                                  {"username", "p3"},
                                  {"dn", "uid=p3,dc=x"},
                                  {"external_id", "uuid-p3"}});
    creates.finish();  // a second finish is harmless
    CHECK(creates.written() == 10);
}

TEST_CASE("creates as read: a failed batch stops the writer, the reader never blocks, finish throws") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    Setup t(driver);
    // Someone holds p4's email already: the second batch (p3, p4, p5) fails.
    t.store().transact([](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO users (id, name, email, role, source, created_at, updated_at, last_active_at) "
            "VALUES ('local', 'Local', 'p4@example.org', 'user', 'local', 1, 1, 1)");
    });
    CreatesAsRead::Options o;
    o.batchSize = 3;
    CreatesAsRead creates(t.store(), t.outbox, o, counterIds());
    // Far more than the queues hold: if a failed writer left the reader waiting for room, this
    // would never return.
    for (std::uint32_t i = 0; i < 300; ++i) creates.add(person(static_cast<int>(i)), i);
    CHECK_THROWS_AS(creates.finish(), ConstraintViolation);
    // The first batch is in unless it shared the failed batch's transaction.
    const auto written = static_cast<std::int64_t>(creates.written());
    CHECK((written == 0 || written == 3));
    CHECK(countIn(t.store(), "SELECT count(*) FROM users WHERE source = 'ldap'") == written);
    CHECK(countIn(t.store(), "SELECT count(*) FROM outbox WHERE type = 'user.created'") == written);
}

TEST_CASE("creates as read: stop drops what is not written yet; nothing queued starts no writer") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    Setup t(driver);
    {
        CreatesAsRead idle(t.store(), t.outbox, {}, counterIds());
        idle.finish();
        CHECK(idle.written() == 0);
    }
    {
        CreatesAsRead::Options o;
        o.batchSize = 1000;  // nothing fills a batch: all of it is still being collected
        CreatesAsRead creates(t.store(), t.outbox, o, counterIds());
        for (std::uint32_t i = 0; i < 5; ++i) creates.add(person(static_cast<int>(i)), i);
        creates.stop();
        creates.stop();
        CHECK(creates.written() == 0);
        CHECK(countIn(t.store(), "SELECT count(*) FROM users") == 0);
        CHECK(countIn(t.store(), "SELECT count(*) FROM outbox") == 0);
        creates.finish();  // after stop: nothing left, no failure
    }
    // Batches queued and being built or written when it stops: each one is in whole or not at all.
    CreatesAsRead::Options o;
    o.batchSize = 1;
    CreatesAsRead creates(t.store(), t.outbox, o, counterIds());
    for (std::uint32_t i = 0; i < 200; ++i) creates.add(person(static_cast<int>(i)), i);
    creates.stop();
    const auto written = static_cast<std::int64_t>(creates.written());
    CHECK(written <= 200);
    CHECK(countIn(t.store(), "SELECT count(*) FROM users") == written);
    CHECK(countIn(t.store(), "SELECT count(*) FROM outbox WHERE type = 'user.created'") == written);
    CHECK_NOTHROW(creates.finish());
}
