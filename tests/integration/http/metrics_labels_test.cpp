// Label values of the HTTP metrics come from closed sets, so unauthenticated clients cannot grow
// /metrics without bound.
#include <catch2/catch.hpp>
#include <chrono>
#include <random>

#include "support/raw_connection.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

namespace {
std::size_t requestSeries(const std::string& metrics) {
    std::size_t n = 0;
    for (std::size_t pos = 0; (pos = metrics.find("\nrosterd_http_requests_total{", pos)) != std::string::npos; ++pos)
        ++n;
    return n;
}
}  // namespace

TEST_CASE("unknown methods count as method=\"other\": 50 random methods add at most one series") {
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    c.get("/no/such/route");  // the 404 series for GET exists before the count
    std::size_t before = requestSeries(c.get("/metrics").body);
    std::mt19937 rng(7);
    for (int i = 0; i < 50; ++i) {
        std::string method;
        for (int j = 0; j < 8; ++j) method += static_cast<char>('A' + rng() % 26);
        RawConnection raw(s.port());
        REQUIRE(
            raw.send(method + " /healthz/" + std::to_string(i) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        auto r = raw.readResponse(2s);
        REQUIRE(r);
        CHECK(r->status == 404);
    }
    std::string after = c.get("/metrics").body;
    CHECK(requestSeries(after) <= before + 2);  // other/unmatched/404 and the second scrape's own series
    CHECK(after.find("method=\"other\"") != std::string::npos);
    CHECK(after.find("route=\"/healthz/") == std::string::npos);
}
