// The importer itself, on both drivers: an email taken after the file was checked fails only its row.
#include <catch2/catch.hpp>

#include "accounts/user_import.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "import_fixture.h"
#include "webhooks/outbox.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("a row whose email is taken while its password is hashed fails alone; its batch-mates are created") {
    auto driver = GENERATE(allDrivers());
    TestDatabase db(driver);
    SystemClock clock;
    webhooks::Outbox outbox(clock);
    Metrics metrics;
    accounts::PasswordHasher hasher(4);
    accounts::ImportConfig config;
    config.batchSize = 100;
    config.threads = 1;
    accounts::HashPool pool(config.threads);
    accounts::UserImporter importer(db.store(), outbox, clock, hasher, 8, config, pool, metrics);

    std::string csv = "Name,Email,Password,Role\n";
    for (int i = 0; i < 6; ++i)
        csv += "R" + std::to_string(i) + ",r" + std::to_string(i) + "@example.com,correct horse,user\n";
    bool raced = false;
    std::vector<accounts::ImportProgress> seen;
    auto result = importer.run(csv, [&](const accounts::ImportProgress& p) {
        seen.push_back(p);
        if (raced) return;
        raced = true;  // the first report comes after the checks, before any insert
        db.store().transact([](db::Transaction& tx) {
            tx.exec(
                "INSERT INTO users (id, name, email, role, created_at, updated_at, last_active_at) "
                "VALUES ('racer', 'Racer', 'r3@example.com', 'user', 1, 1, 1)");
        });
    });
    CHECK(result.created == 5);
    CHECK(result.failed == 1);
    REQUIRE(result.rows.size() == 6);
    CHECK_FALSE(result.rows[3].created);
    CHECK(result.rows[3].row == 5);
    CHECK(result.rows[3].detail == "email r3@example.com is already taken");
    auto users = usersByEmail(db.store());
    CHECK(users["r3@example.com"].first == "Racer");
    CHECK(users.size() == 6);
    CHECK(createdEventEmails(db.store()).size() == 5);

    // Progress only moves forward and ends with every row done.
    REQUIRE(seen.size() >= 2);
    for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i].done >= seen[i - 1].done);
    CHECK(seen.back().done == 6);
    CHECK(seen.back().total == 6);
    CHECK(seen.back().failed == 1);
    CHECK(seen.back().created == 5);
    CHECK(metrics.value("rosterd_imports_running") == 0);
}
