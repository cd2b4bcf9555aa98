// A request has a total deadline for its head and body: a client that stops sending mid-request
// gets 408 when it passes and holds no worker meanwhile; a POST without Content-Length has no body.
#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "support/raw_connection.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

TEST_CASE("a body shorter than its Content-Length gets 408 at the request deadline and frees its worker") {
    TestServer s(db::Driver::Sqlite, {{"server.threads", "2"}, {"server.request_timeout", "1s"}});
    std::vector<RawConnection> stuck;
    for (int i = 0; i < 6; ++i) {
        stuck.emplace_back(s.port());
        REQUIRE(
            stuck.back().send("POST /api/v1/auths/signin HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                              "Content-Length: 100\r\n\r\n{\"email\":"));
    }
    // More stuck requests than workers, and the server still answers at once.
    RawConnection probe(s.port());
    auto started = std::chrono::steady_clock::now();
    REQUIRE(probe.send(getRequest("/healthz")));
    auto ok = probe.readResponse(2s);
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(std::chrono::steady_clock::now() - started < 500ms);

    for (auto& c : stuck) {
        auto r = c.readResponse(3s);
        REQUIRE(r);
        CHECK(r->statusLine == "HTTP/1.1 408 Request Timeout");
        CHECK(r->headers["connection"] == "close");
        CHECK(c.closedByServer(1s));
    }
    CHECK(std::chrono::steady_clock::now() - started >= 900ms);
}

TEST_CASE("a head sent slower than the header deadline gets 408") {
    TestServer s(db::Driver::Sqlite, {{"server.header_timeout", "500ms"}});
    RawConnection c(s.port());
    REQUIRE(c.send("GET /healthz HTTP/1.1\r\nHost: a\r\n"));
    auto r = c.readResponse(3s);
    REQUIRE(r);
    CHECK(r->status == 408);
}

TEST_CASE("a POST without Content-Length has an empty body and is answered at once") {
    TestServer s(db::Driver::Sqlite);
    RawConnection c(s.port());
    auto started = std::chrono::steady_clock::now();
    // Bytes after the head are not a body without a length: they are the next request.
    REQUIRE(c.send("POST /api/v1/auths/signin HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n\r\n"));
    auto r = c.readResponse(3s);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body.find("empty") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < 1s);
}

TEST_CASE("an idle keep-alive connection is closed after the keep-alive timeout") {
    TestServer s(db::Driver::Sqlite, {{"server.keep_alive_timeout", "500ms"}});
    RawConnection c(s.port());
    REQUIRE(c.send(getRequest("/healthz")));
    REQUIRE(c.readResponse(2s));
    auto started = std::chrono::steady_clock::now();
    CHECK(c.closedByServer(3s));
    CHECK(std::chrono::steady_clock::now() - started >= 400ms);
}
