#include <catch2/catch.hpp>

#include "common/errors.h"
#include "db/store.h"
#include "support/test_database.h"

using namespace rosterd;
using rosterd::test::TestDatabase;

TEST_CASE("insertRows keeps every byte, NULLs and numbers, and the given order") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    // Characters that COPY's text format must escape, and UTF-8.
    const std::string tricky = "tab\there\nnew line\r\\N back\\slash 'quote' \"dq\" é漢";
    db::Params values;
    for (int i = 0; i < 2500; ++i) {
        values.emplace_back("k" + std::to_string(100000 + i));
        values.emplace_back(i == 7 ? tricky : "v" + std::to_string(i));
        values.emplace_back(std::int64_t(i) * 1000);
    }
    t.store().transact([&](db::Transaction& tx) { tx.insertRows("settings", {"key", "value", "updated_at"}, values); });
    auto rs = t.store().transact(
        [](db::Transaction& tx) { return tx.exec("SELECT key, value, updated_at FROM settings ORDER BY key"); });
    REQUIRE(rs.size() == 2500);
    CHECK(rs[7].str("value") == tricky);
    CHECK(rs[2499].i64("updated_at") == 2499000);

    t.store().transact([&](db::Transaction& tx) {
        tx.insertRows("revoked_tokens", {"jti", "expires_at"}, {std::string("a"), std::int64_t(1)});
    });
    CHECK(t.store().transact([](db::Transaction& tx) {
        return tx.exec("SELECT count(*) FROM revoked_tokens WHERE jti = 'a'").front().i64(0);
    }) == 1);
}

TEST_CASE("insertRows that violates a constraint fails whole and the session stays usable") {
    auto driver = GENERATE(test::allDrivers());
    INFO("driver " << db::driverName(driver));
    TestDatabase t(driver);
    db::Params values = {std::string("a"), std::string("1"), std::int64_t(1),  std::string("b"), std::string("2"),
                         std::int64_t(1),  std::string("a"), std::string("3"), std::int64_t(1)};
    CHECK_THROWS_AS(t.store().transact([&](db::Transaction& tx) {
        tx.insertRows("settings", {"key", "value", "updated_at"}, values);
    }),
                    ConstraintViolation);
    CHECK_THROWS_AS(t.store().transact([&](db::Transaction& tx) {
        tx.insertRows("settings", {"key", "value", "updated_at"}, {std::string("only two"), std::string("x")});
    }),
                    DbError);
    // Nothing of the failed call stays, and pooled sessions still work.
    for (int i = 0; i < 3; ++i)
        CHECK(t.store().transact(
                  [](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM settings").front().i64(0); }) == 0);
}
