#include "slow_request.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <regex>
#include <stdexcept>
#include <thread>

namespace rosterd::test {

SlowRequest::SlowRequest(int port, const std::string& path, const std::string& body, std::size_t firstPart)
    : body_(body), sent_(firstPart) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("connect: " + std::string(std::strerror(errno)));
    std::string head = "POST " + path +
                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    sendAll(head + body.substr(0, firstPart));
}

SlowRequest::~SlowRequest() { close(fd_); }

std::string SlowRequest::finish() {
    sendAll(body_.substr(sent_));
    std::string response;
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd_, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<std::size_t>(n));
    return response;
}

void SlowRequest::sendAll(const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
        ssize_t n = send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send: " + std::string(std::strerror(errno)));
        off += static_cast<std::size_t>(n);
    }
}

namespace {
double inFlight(const HttpClient& c) {
    std::smatch m;
    std::string text = c.get("/metrics").body;
    static const std::regex re("\nrosterd_http_requests_in_flight ([0-9.e+-]+)");
    return std::regex_search(text, m, re) ? std::stod(m[1]) : 0;
}
}  // namespace

bool waitForInFlight(const HttpClient& c, double atLeast) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (inFlight(c) >= atLeast) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace rosterd::test
