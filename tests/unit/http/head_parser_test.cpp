// Request heads: where they end, how they parse, and which framing is refused with which status.
#include "http/head_parser.h"

#include <catch2/catch.hpp>

#include "http/http_error.h"
#include "http/message.h"

using namespace rosterd::http;

namespace {
int statusOf(const std::string& head, ServerLimits limits = {}) {
    try {
        parseHead(head, limits);
        return 0;
    } catch (const HttpError& e) {
        return e.status();
    }
}
}  // namespace

TEST_CASE("findHeadEnd finds the first empty line, CRLF or bare LF") {
    CHECK(!findHeadEnd("GET / HTTP/1.1\r\nHost: a\r\n"));
    CHECK(findHeadEnd("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody") == std::size_t{27});
    CHECK(findHeadEnd("GET / HTTP/1.1\nHost: a\n\nbody") == std::size_t{24});
}

TEST_CASE("parseHead decodes the target and reads the framing headers") {
    auto h = parseHead(
        "POST /api/v1/users/caf%C3%A9?q=a%20b&x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n"
        "Content-Length: 12\r\nX-Forwarded-Proto: https\r\n\r\n",
        {});
    CHECK(h.method == "POST");
    CHECK(h.path == "/api/v1/users/café");
    REQUIRE(h.query.size() == 2);
    CHECK(h.query[0] == std::make_pair(std::string("q"), std::string("a b")));
    CHECK(h.contentLength == 12);
    CHECK(h.keepAlive);
    CHECK(h.headers.back().first == "x-forwarded-proto");
    CHECK(!parseHead("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", {}).keepAlive);
    CHECK(!parseHead("GET / HTTP/1.0\r\n\r\n", {}).keepAlive);
    CHECK(parseHead("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", {}).keepAlive);
    CHECK(parseHead("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n", {}).expectContinue);
}

TEST_CASE("parseHead refuses ambiguous or unsupported framing with its status") {
    CHECK(statusOf("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400);
    CHECK(statusOf("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
    CHECK(statusOf("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == 400);
    CHECK(statusOf("GET / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n") == 400);
    CHECK(statusOf("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == 411);
    CHECK(statusOf("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") == 501);
    CHECK(statusOf("GET / HTTP/2.0\r\n\r\n") == 505);
    CHECK(statusOf("GET /%ff HTTP/1.1\r\n\r\n") == 400);
    CHECK(statusOf("GET /?a=%c3%28 HTTP/1.1\r\n\r\n") == 400);
    CHECK(statusOf("GET /%zz HTTP/1.1\r\n\r\n") == 400);
    CHECK(statusOf("garbage\r\n\r\n") == 400);
    CHECK(statusOf("GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n") == 431);
    ServerLimits few;
    few.maxHeaderCount = 3;
    CHECK(statusOf("GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\n\r\n", few) == 0);
    CHECK(statusOf("GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n\r\n", few) == 431);
}

TEST_CASE("responses carry the status's reason phrase and a JSON detail that never throws") {
    auto r = errorResponse(400, "bad \xff byte");
    std::string bytes = serialize(r, false, true);
    CHECK(bytes.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
    CHECK(bytes.find("Connection: close\r\n") != std::string::npos);
    CHECK(bytes.find("\"detail\"") != std::string::npos);
    CHECK(serialize(errorResponse(408, "x"), false, false).rfind("HTTP/1.1 408 Request Timeout\r\n", 0) == 0);
    CHECK(serialize(errorResponse(413, "x"), true, false).find("\r\n\r\n") ==
          serialize(errorResponse(413, "x"), true, false).size() - 4);
    Response streamed;
    streamed.body = "a,b\n";
    streamed.chunked = true;
    CHECK(serialize(streamed, false, false) ==
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n4\r\na,b\n\r\n0\r\n\r\n");
    CHECK(methodLabel("GET") == "GET");
    CHECK(methodLabel("BREW") == "other");
}
