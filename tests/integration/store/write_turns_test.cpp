// Write transactions of one process take turns in arrival order (SQLite has a single writer and a
// polling busy handler), so a writer that begins again at once cannot starve another.
#include "db/write_turns.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/errors.h"
#include "db/store.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace std::chrono_literals;

namespace {

void addSetting(db::Transaction& tx, const std::string& key) {
    tx.exec("INSERT INTO settings (key, value, updated_at) VALUES ($1, '1', 1)", {key});
}

}  // namespace

TEST_CASE("write turns: a writer that begins again at once goes behind the one already waiting") {
    // Order, not durations: the second writer is in line (waiting() says so) before the first
    // lets go and asks again at once, so the first must wait for it.
    db::WriteTurns turns;
    db::WriteTurns::Turn first;
    REQUIRE(turns.take(10s, first));
    std::mutex mutex;
    std::vector<std::string> order;
    auto note = [&](const std::string& who) {
        std::lock_guard lock(mutex);
        order.push_back(who);
    };
    std::thread other([&] {
        db::WriteTurns::Turn turn;
        if (turns.take(10s, turn)) note("other");
    });
    while (turns.waiting() == 0) std::this_thread::yield();
    first = db::WriteTurns::Turn();  // lets go, and at once:
    db::WriteTurns::Turn again;
    if (turns.take(10s, again)) note("again");
    again = db::WriteTurns::Turn();
    other.join();
    CHECK(order == std::vector<std::string>{"other", "again"});
    CHECK(turns.waiting() == 0);
}

TEST_CASE("store: a writer that begins again at once does not keep another writer out") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    test::TestDatabase t(driver);
    db::Store& store = t.store();
    constexpr int kRounds = 40;
    std::atomic<int> rounds{0};
    std::thread busy([&] {
        for (int i = 0; i < kRounds; ++i) {
            store.transact([&](db::Transaction& tx) { addSetting(tx, "busy-" + std::to_string(i)); });
            ++rounds;  // and the next one begins at once
        }
    });
    while (rounds < 2) std::this_thread::yield();
    // Gets in, and both writers' rows are all there. How soon it gets in is the turns' order,
    // tested above: a bound on it here would be a bet on the scheduler.
    store.transact([&](db::Transaction& tx) { addSetting(tx, "other"); });
    busy.join();
    CHECK(store.transact([](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM settings").front().i64(0); }) ==
          kRounds + 1);
}

TEST_CASE("store: a writer kept waiting past busy_timeout gets a clear error and leaves the line") {
    test::TestDatabase t(db::Driver::Sqlite);
    db::StoreConfig config;
    config.url = t.url();
    config.busyTimeout = 100ms;
    auto store = db::Store::open(config);
    std::atomic<bool> holding{false}, release{false};
    std::thread holder([&] {
        store->transact([&](db::Transaction& tx) {
            addSetting(tx, "held");
            holding = true;
            while (!release) std::this_thread::sleep_for(1ms);
        });
    });
    while (!holding) std::this_thread::sleep_for(1ms);
    try {
        store->transact([](db::Transaction& tx) { addSetting(tx, "late"); });
        FAIL("the second writer got in while the first held the database");
    } catch (const ConnectionError& e) {
        CHECK_THAT(e.what(), Catch::Contains("busy"));
    }
    // Reading never waits for a turn.
    CHECK(store->transact([](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM settings").front().i64(0); },
                          db::TxMode::Read) == 0);
    release = true;
    holder.join();
    // The writer that gave up is out of the line: the next one goes straight in.
    store->transact([](db::Transaction& tx) { addSetting(tx, "next"); });
    CHECK(store->transact(
              [](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM settings").front().i64(0); }) == 2);
}
