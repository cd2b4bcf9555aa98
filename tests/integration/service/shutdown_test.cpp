// SIGTERM while a request is still being received: the daemon stops accepting, lets it finish
// (within [server] shutdown_timeout) and exits 0.
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "service_daemon.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// A client that sends a request's head and the start of its body, then holds back the rest.
class SlowRequest {
public:
    SlowRequest(int port, const std::string& path, const std::string& body, std::size_t firstPart) : body_(body), sent_(firstPart) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        std::string head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
        sendAll(head + body.substr(0, firstPart));
    }
    ~SlowRequest() { close(fd_); }
    /// Sends the rest of the body and reads the whole response.
    std::string finish() {
        sendAll(body_.substr(sent_));
        std::string response;
        char buf[4096];
        ssize_t n;
        while ((n = recv(fd_, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<std::size_t>(n));
        return response;
    }

private:
    void sendAll(const std::string& data) {
        std::size_t off = 0;
        while (off < data.size()) {
            ssize_t n = send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            REQUIRE(n > 0);
            off += static_cast<std::size_t>(n);
        }
    }
    int fd_ = -1;
    std::string body_;
    std::size_t sent_;
};

/// The in-flight gauge from /metrics (the scrape itself counts as one).
double inFlight(const HttpClient& c) {
    std::smatch m;
    std::string text = c.get("/metrics").body;
    static const std::regex re("\nrosterd_http_requests_in_flight ([0-9.e+-]+)");
    return std::regex_search(text, m, re) ? std::stod(m[1]) : 0;
}

bool waitForInFlight(const HttpClient& c, double atLeast) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (inFlight(c) >= atLeast) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace

TEST_CASE("SIGTERM during a slow request lets it finish, then exits 0") {
    ServiceDaemon d;
    d.start();
    d.notify().waitFor("READY=1");
    std::string body = R"({"email":"nobody@example.com","password":"not the password"})";
    SlowRequest slow(d.port(), "/api/v1/auths/signin", body, 10);
    REQUIRE(waitForInFlight(d.client(), 2));  // the slow one and the scrape

    d.process().signal(SIGTERM);
    d.notify().waitFor("STOPPING=1");
    CHECK(d.waitForLog("SIGTERM received, shutting down"));
    CHECK(d.process().running());  // waiting for the request

    std::string response = slow.finish();
    INFO(response);
    CHECK(response.rfind("HTTP/1.1 4", 0) == 0);  // a real answer: unknown account
    CHECK(response.find("\"detail\"") != std::string::npos);
    CHECK(d.process().wait(20000) == 0);
    CHECK(d.log().find("stopped") != std::string::npos);
}

TEST_CASE("a request that never completes delays shutdown only up to shutdown_timeout") {
    DaemonOptions o;
    o.shutdownTimeout = "1s";
    ServiceDaemon d(o);
    d.start();
    d.notify().waitFor("READY=1");
    SlowRequest stuck(d.port(), "/api/v1/auths/signin", R"({"email":"a@example.com","password":"x"})", 5);
    REQUIRE(waitForInFlight(d.client(), 2));
    auto sent = std::chrono::steady_clock::now();
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
    auto took = std::chrono::steady_clock::now() - sent;
    CHECK(took >= std::chrono::milliseconds(900));
    CHECK(took < std::chrono::seconds(10));
}
