// Strict request framing: ambiguous lengths are refused and the connection closed (request
// smuggling), every error carries its own reason phrase, and a bad path still gets a JSON answer.
#include <catch2/catch.hpp>
#include <chrono>

#include "support/raw_connection.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

namespace {

/// Sends `request` on a new connection and reads the answer (fails the test on none within 3 s).
RawResponse exchange(int port, const std::string& request) {
    RawConnection c(port);
    REQUIRE(c.send(request));
    auto r = c.readResponse(3s);
    REQUIRE(r);
    return *r;
}

}  // namespace

TEST_CASE("two differing Content-Length headers are refused with 400 and the connection closed") {
    TestServer s(db::Driver::Sqlite);
    RawConnection c(s.port());
    REQUIRE(c.send("GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello"));
    auto r = c.readResponse(3s);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->headers["connection"] == "close");
    CHECK(r->body.find("Content-Length") != std::string::npos);
    CHECK(c.closedByServer(3s));
}

TEST_CASE("Content-Length together with Transfer-Encoding is refused with 400 and the connection closed") {
    TestServer s(db::Driver::Sqlite);
    RawConnection c(s.port());
    REQUIRE(
        c.send("POST /api/v1/auths/signin HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
               "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    auto r = c.readResponse(3s);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->headers["connection"] == "close");
    CHECK(c.closedByServer(3s));
}

TEST_CASE("a chunked request body is answered 411 Length Required") {
    TestServer s(db::Driver::Sqlite);
    auto r = exchange(s.port(),
                      "POST /api/v1/auths/signin HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\n{}\r\n0\r\n\r\n");
    CHECK(r.statusLine == "HTTP/1.1 411 Length Required");
    CHECK(r.headers["content-type"] == "application/json");
}

TEST_CASE("invalid UTF-8 or bad percent-encoding in the path or query gets a 400 JSON answer at once") {
    TestServer s(db::Driver::Sqlite);
    for (std::string target : {"/%ff", "/api/v1/users/%c3%28", "/healthz?x=%ff", "/%zz", "/healthz?q=%"}) {
        INFO(target);
        auto started = std::chrono::steady_clock::now();
        auto r = exchange(s.port(), getRequest(target, true));
        CHECK(std::chrono::steady_clock::now() - started < 1s);
        CHECK(r.statusLine == "HTTP/1.1 400 Bad Request");
        CHECK(r.headers["content-type"] == "application/json");
        CHECK(nlohmann::json::parse(r.body).contains("detail"));
    }
}

TEST_CASE("status lines carry the reason phrase of their status") {
    TestServer s(db::Driver::Sqlite);
    CHECK(exchange(s.port(), getRequest("/healthz")).statusLine == "HTTP/1.1 200 OK");
    CHECK(exchange(s.port(), getRequest("/no/such/route")).statusLine == "HTTP/1.1 404 Not Found");
    CHECK(exchange(s.port(), getRequest("/api/v1/auths/")).statusLine == "HTTP/1.1 401 Unauthorized");
    auto bad = exchange(s.port(), "POST /api/v1/auths/signin HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n{x}");
    CHECK(bad.statusLine == "HTTP/1.1 400 Bad Request");
    CHECK(exchange(s.port(), "DELETE /healthz HTTP/1.1\r\nHost: a\r\n\r\n").statusLine ==
          "HTTP/1.1 405 Method Not Allowed");
}

TEST_CASE("a request head larger than the limit is answered 431 and closed") {
    TestServer s(db::Driver::Sqlite, {{"server.max_header_bytes", "8192"}});
    SECTION("one huge header") {
        RawConnection c(s.port());
        REQUIRE(c.send("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"));
        auto r = c.readResponse(3s);
        REQUIRE(r);
        CHECK(r->statusLine == "HTTP/1.1 431 Request Header Fields Too Large");
        CHECK(c.closedByServer(3s));
    }
    SECTION("a head that never ends") {
        RawConnection c(s.port());
        c.send("GET /healthz HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 200; ++i) c.send("X-Filler-" + std::to_string(i) + ": " + std::string(60, 'b') + "\r\n");
        auto r = c.readResponse(3s);
        REQUIRE(r);
        CHECK(r->status == 431);
    }
    SECTION("too many header fields") {
        std::string head = "GET /healthz HTTP/1.1\r\nHost: a\r\n";
        for (int i = 0; i < 150; ++i) head += "X-" + std::to_string(i) + ": 1\r\n";
        auto r = exchange(s.port(), head + "\r\n");
        CHECK(r.status == 431);
    }
}

TEST_CASE("a body over the route's limit is answered 413 before it is read") {
    TestServer s(db::Driver::Sqlite, {{"server.max_body_bytes", "4096"}});
    RawConnection c(s.port());
    REQUIRE(c.send("POST /api/v1/auths/signin HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n"));
    auto r = c.readResponse(3s);
    REQUIRE(r);
    CHECK(r->statusLine == "HTTP/1.1 413 Content Too Large");
    CHECK(r->headers["connection"] == "close");
}
