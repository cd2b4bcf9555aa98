#include <catch2/catch.hpp>

#include "support/postgres_server.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("when PostgreSQL goes away requests get 503 and /readyz says why; both recover by themselves") {
    TestServer s(db::Driver::Postgres);
    auto c = s.client();
    auto first =
        c.post("/api/v1/auths/signup", {{"name", "Ada"}, {"email", "ada@example.com"}, {"password", "correct horse"}});
    REQUIRE(first.status == 200);
    std::string token = first.json()["token"];
    CHECK(c.get("/readyz").status == 200);
    auto& pg = PostgresServer::instance();
    pg.stop();
    auto ready = c.get("/readyz");
    CHECK(ready.status == 503);
    CHECK(ready.json()["detail"].get<std::string>().find("store") != std::string::npos);
    auto req = c.get("/api/v1/auths/", token);
    CHECK(req.status == 503);
    CHECK(req.json()["detail"].get<std::string>().find("database unavailable") != std::string::npos);
    CHECK(c.get("/healthz").status == 200);  // the process itself is alive
    pg.start();
    CHECK(c.get("/readyz").status == 200);
    CHECK(c.get("/api/v1/auths/", token).status == 200);
}
