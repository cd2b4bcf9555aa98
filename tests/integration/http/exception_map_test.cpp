// The HTTP edge maps the whole exception tree; a unique-constraint race answers 409, not 500.
#include <catch2/catch.hpp>
#include <future>
#include <vector>

#include "../accounts/accounts_fixture.h"
#include "common/errors.h"
#include "daemon/http_server.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("every exception of the tree maps to its status") {
    using daemon::responseForException;
    CHECK(responseForException(ConstraintViolation("duplicate key"), "r").status == 409);
    CHECK(responseForException(ConnectionError("down"), "r").status == 503);
    CHECK(responseForException(DbError("disk I/O error"), "r").status == 500);
    CHECK(responseForException(ConfigError("server.listen", "bad"), "r").status == 500);
    CHECK(responseForException(InvalidInput("no"), "r").status == 400);
    CHECK(responseForException(Unauthenticated("no"), "r").status == 401);
    CHECK(responseForException(PermissionDenied("no"), "r").status == 403);
    CHECK(responseForException(NotFound("no"), "r").status == 404);
    CHECK(responseForException(Conflict("no"), "r").status == 409);
    CHECK(responseForException(PayloadTooLarge("no"), "r").status == 413);
    CHECK(responseForException(RateLimited("no", 3), "r").status == 429);
    CHECK(responseForException(Unavailable("no"), "r").status == 503);
    CHECK(responseForException(LdapError("down"), "r").status == 503);
    CHECK(responseForException(std::runtime_error("x"), "r").status == 500);
    // A detail that is not UTF-8 still renders.
    auto r = responseForException(InvalidInput("bad \xff byte"), "r");
    CHECK(r.status == 400);
}

TEST_CASE("concurrent creates of one group name: one succeeds, the others get 4xx, never 500") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string admin = tokenOf(signup(c, "Ada", "ada@example.com"));
    for (int round = 0; round < 5; ++round) {
        std::string name = "race-" + std::to_string(round);
        std::vector<std::future<int>> tries;
        for (int i = 0; i < 12; ++i)
            tries.push_back(std::async(std::launch::async, [&] {
                return c.post("/api/v1/groups/create", {{"name", name}}, admin).status;
            }));
        int created = 0;
        for (auto& t : tries) {
            int status = t.get();
            INFO("status " << status);
            CHECK((status == 200 || status == 400 || status == 409));
            created += status == 200;
        }
        CHECK(created == 1);
    }
}
