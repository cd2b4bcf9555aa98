// Idle and slow connections hold no worker: many of them open at once do not stop /healthz, and
// keep-alive clients that send requests back to back are all served in turn.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "support/raw_connection.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

TEST_CASE("200 slow-header connections and 100 idle keep-alive connections do not stop /healthz") {
    TestServer s(db::Driver::Sqlite);
    std::vector<RawConnection> open;
    for (int i = 0; i < 100; ++i) {
        open.emplace_back(s.port());
        REQUIRE(open.back().send(getRequest("/healthz")));
        REQUIRE(open.back().readResponse(5s));
    }
    for (int i = 0; i < 200; ++i) {
        open.emplace_back(s.port());
        REQUIRE(open.back().send("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: "));
    }
    std::this_thread::sleep_for(100ms);  // let the server take them all in
    for (int i = 0; i < 20; ++i) {
        RawConnection probe(s.port());
        auto started = std::chrono::steady_clock::now();
        REQUIRE(probe.send(getRequest("/healthz", true)));
        auto r = probe.readResponse(2s);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(std::chrono::steady_clock::now() - started < 1s);
    }
}

TEST_CASE("50 keep-alive clients requesting back to back are all served, none starved") {
    TestServer s(db::Driver::Sqlite, {{"server.threads", "4"}});
    constexpr int clients = 50;
    std::atomic<bool> stop{false};
    std::vector<int> served(clients, 0);
    std::vector<double> longestWait(clients, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) {
        threads.emplace_back([&, i] {
            RawConnection c(s.port());
            while (!stop) {
                auto started = std::chrono::steady_clock::now();
                if (!c.send(getRequest("/readyz"))) return;
                if (!c.readResponse(5s)) {
                    longestWait[i] = 5;
                    return;
                }
                ++served[i];
                longestWait[i] = std::max(
                    longestWait[i], std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            }
        });
    }
    std::this_thread::sleep_for(3s);
    stop = true;
    for (auto& t : threads) t.join();
    for (int i = 0; i < clients; ++i) {
        INFO("client " << i << " served " << served[i] << ", longest wait " << longestWait[i] << " s");
        CHECK(served[i] >= 5);
        CHECK(longestWait[i] < 1.0);
    }
}

TEST_CASE("connections beyond max_connections are answered 503 and closed; the open-connection gauge counts them") {
    TestServer s(db::Driver::Sqlite, {{"server.max_connections", "20"}});
    std::vector<RawConnection> open;
    for (int i = 0; i < 19; ++i) {
        open.emplace_back(s.port());
        REQUIRE(open.back().send(getRequest("/healthz")));
        REQUIRE(open.back().readResponse(2s));
    }
    RawConnection last(s.port());  // the 20th
    REQUIRE(last.send(getRequest("/metrics")));
    auto metrics = last.readResponse(2s);
    REQUIRE(metrics);
    CHECK(metrics->body.find("\nrosterd_http_connections_open 20") != std::string::npos);
    RawConnection extra(s.port());
    auto r = extra.readResponse(2s);
    REQUIRE(r);
    CHECK(r->statusLine == "HTTP/1.1 503 Service Unavailable");
    CHECK(extra.closedByServer(2s));
    open.clear();
    std::this_thread::sleep_for(200ms);
    RawConnection again(s.port());
    REQUIRE(again.send(getRequest("/healthz")));
    auto ok = again.readResponse(2s);
    REQUIRE(ok);
    CHECK(ok->status == 200);
}
