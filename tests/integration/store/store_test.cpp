#include "db/store.h"

#include <catch2/catch.hpp>
#include <thread>

#include "common/errors.h"
#include "support/postgres_server.h"
#include "support/test_database.h"

using namespace rosterd;
using rosterd::test::TestDatabase;

TEST_CASE("migrations apply once and a second run applies nothing") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver, /*migrate=*/false);
    auto first = t.store().migrate();
    CHECK_FALSE(first.empty());
    CHECK(first.front() == "0001_core");
    CHECK(t.store().migrate().empty());
    CHECK(t.store().pendingMigrations().empty());
    auto rows =
        t.store().transact([](db::Transaction& tx) { return tx.exec("SELECT count(*) AS n FROM schema_migrations"); });
    CHECK(static_cast<std::size_t>(rows.front().i64("n")) == first.size());
}

TEST_CASE("a transaction not committed leaves nothing behind") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    {
        auto tx = t.store().begin();
        tx.exec("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)", {"a", "1", std::int64_t(1)});
    }  // destroyed without commit
    try {
        t.store().transact([](db::Transaction& tx) {
            tx.exec("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)", {"b", "1", std::int64_t(1)});
            throw std::runtime_error("boom");
        });
    } catch (const std::runtime_error&) {
    }
    t.store().transact([](db::Transaction& tx) {
        tx.exec("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)", {"c", "1", std::int64_t(1)});
    });
    auto rs = t.store().transact([](db::Transaction& tx) { return tx.exec("SELECT key FROM settings ORDER BY key"); });
    REQUIRE(rs.size() == 1);
    CHECK(rs.front().str("key") == "c");
}

TEST_CASE("values round-trip with placeholders, NULLs and RETURNING") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto rs = t.store().transact([](db::Transaction& tx) {
        tx.exec("INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2)", {"j'1", std::int64_t(1) << 40});
        return tx.exec("SELECT jti, expires_at, NULL AS absent FROM revoked_tokens WHERE jti = $1", {"j'1"});
    });
    REQUIRE(rs.size() == 1);
    CHECK(rs.front().str("jti") == "j'1");
    CHECK(rs.front().i64("expires_at") == (std::int64_t(1) << 40));
    CHECK(rs.front().isNull("absent"));
    auto ret = t.store().transact([](db::Transaction& tx) {
        return tx.exec("UPDATE revoked_tokens SET expires_at = $1 WHERE jti = $2 RETURNING jti",
                       {std::int64_t(5), "j'1"});
    });
    CHECK(ret.size() == 1);
    CHECK(ret.affected() == 1);
}

TEST_CASE("a unique violation is a ConstraintViolation and the store stays usable") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto insert = [&] {
        t.store().transact([](db::Transaction& tx) {
            tx.exec("INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2)", {"same", std::int64_t(1)});
        });
    };
    insert();
    CHECK_THROWS_AS(insert(), ConstraintViolation);
    CHECK_NOTHROW(t.store().ping());
}

TEST_CASE("a named lease is held by one holder at a time") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    auto first = t.store().tryLease("sync");
    REQUIRE(first);
    CHECK_FALSE(t.store().tryLease("sync"));
    CHECK(t.store().tryLease("other"));
    first.reset();
    CHECK(t.store().tryLease("sync"));
}

TEST_CASE("PostgreSQL advisory leases span separate stores (replicas)") {
    TestDatabase a(db::Driver::Postgres);
    db::StoreConfig config;
    config.url = a.url();
    auto replica = db::Store::open(config);
    auto held = a.store().tryLease("sync");
    REQUIRE(held);
    CHECK_FALSE(replica->tryLease("sync"));
    held.reset();
    CHECK(replica->tryLease("sync"));
}

TEST_CASE("concurrent writers on one store all commit") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    std::vector<std::thread> threads;
    for (int w = 0; w < 4; ++w)
        threads.emplace_back([&, w] {
            for (int i = 0; i < 25; ++i)
                t.store().transact([&](db::Transaction& tx) {
                    tx.exec("INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2)",
                            {"w" + std::to_string(w) + "-" + std::to_string(i), std::int64_t(i)});
                });
        });
    for (auto& th : threads) th.join();
    auto rs = t.store().transact([](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM revoked_tokens"); });
    CHECK(rs.front().i64(0) == 100);
}

TEST_CASE("a PostgreSQL server that goes away fails with ConnectionError and the pool recovers") {
    TestDatabase t(db::Driver::Postgres);
    t.store().ping();
    auto& pg = test::PostgresServer::instance();
    pg.stop();
    CHECK_THROWS_AS(t.store().ping(), ConnectionError);
    CHECK_THROWS_AS(t.store().transact([](db::Transaction& tx) { tx.exec("SELECT 1"); }), ConnectionError);
    pg.start();
    CHECK_NOTHROW(t.store().ping());
    CHECK_NOTHROW(t.store().transact([](db::Transaction& tx) { tx.exec("SELECT 1"); }));
}

TEST_CASE("opening an unreachable PostgreSQL or unwritable SQLite path is a ConnectionError") {
    db::StoreConfig pg;
    pg.url = "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2";
    CHECK_THROWS_AS(db::Store::open(pg), ConnectionError);
    db::StoreConfig lite;
    lite.url = "sqlite:///proc/rosterd-cannot-write-here/x.db";
    CHECK_THROWS_AS(db::Store::open(lite), ConnectionError);
}

TEST_CASE("malformed database URLs are configuration errors naming the key") {
    db::StoreConfig c;
    c.url = "mysql://x";
    CHECK_THROWS_WITH(db::Store::open(c), Catch::Contains("database.url"));
    c.url = "sqlite://";
    CHECK_THROWS_AS(db::Store::open(c), ConfigError);
    c.url = "postgresql://host:notaport/db";
    CHECK_THROWS_AS(db::Store::open(c), ConfigError);
}
