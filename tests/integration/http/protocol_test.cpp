// HTTP/1.1 behaviour clients rely on, kept across the serving model: HEAD, Expect: 100-continue,
// pipelined requests answered in order, Connection: close and HTTP/1.0.
#include <catch2/catch.hpp>
#include <chrono>

#include "support/raw_connection.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

TEST_CASE("HEAD gets the GET's status and Content-Length without a body") {
    TestServer s(db::Driver::Sqlite);
    RawConnection c(s.port());
    REQUIRE(c.send("HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n"));
    auto r = c.readResponse(2s, true);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(std::stoul(r->headers["content-length"]) > 0);
    // The body was not sent: the next response on the connection starts right after the head.
    REQUIRE(c.send(getRequest("/healthz")));
    auto next = c.readResponse(2s);
    REQUIRE(next);
    CHECK(next->statusLine == "HTTP/1.1 200 OK");
}

TEST_CASE("Expect: 100-continue gets 100 Continue, then the answer to the body") {
    TestServer s(db::Driver::Sqlite);
    RawConnection c(s.port());
    std::string body = R"({"email":"nobody@example.com","password":"wrong"})";
    REQUIRE(
        c.send("POST /api/v1/auths/signin HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
               "Expect: 100-continue\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n"));
    auto interim = c.readResponse(2s);
    REQUIRE(interim);
    CHECK(interim->status == 100);
    REQUIRE(c.send(body));
    auto r = c.readResponse(2s);
    REQUIRE(r);
    CHECK(r->status == 400);
}

TEST_CASE("pipelined requests are answered in order on one connection") {
    TestServer s(db::Driver::Sqlite);
    RawConnection c(s.port());
    REQUIRE(c.send(getRequest("/healthz") + getRequest("/no/such") + getRequest("/readyz", true)));
    auto a = c.readResponse(2s), b = c.readResponse(2s), d = c.readResponse(2s);
    REQUIRE((a && b && d));
    CHECK(a->status == 200);
    CHECK(b->status == 404);
    CHECK(d->status == 200);
    CHECK(d->headers["connection"] == "close");
    CHECK(c.closedByServer(2s));
}

TEST_CASE("HTTP/1.0 without keep-alive is answered and closed") {
    TestServer s(db::Driver::Sqlite);
    RawConnection c(s.port());
    REQUIRE(c.send("GET /healthz HTTP/1.0\r\n\r\n"));
    auto r = c.readResponse(2s);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(c.closedByServer(2s));
}
