#include "support/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace rosterd::test {

RawConnection::RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::string reason = std::strerror(errno);
        ::close(fd_);
        throw std::runtime_error("connect: " + reason);
    }
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)), eof_(other.eof_) {
    other.fd_ = -1;
}

bool RawConnection::send(const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

bool RawConnection::fill(std::chrono::steady_clock::time_point deadline) {
    if (eof_) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
        eof_ = true;
        return false;
    }
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
}

std::optional<RawResponse> RawConnection::readResponse(std::chrono::milliseconds timeout, bool headOnly) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill(deadline)) return std::nullopt;
    RawResponse r;
    std::string head = buffer_.substr(0, end + 2);
    std::size_t pos = head.find("\r\n");
    r.statusLine = head.substr(0, pos);
    if (r.statusLine.size() >= 12) r.status = std::stoi(r.statusLine.substr(9, 3));
    pos += 2;
    while (pos < head.size()) {
        std::size_t eol = head.find("\r\n", pos);
        std::string line = head.substr(pos, eol - pos);
        pos = eol + 2;
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        r.headers[name] = value;
    }
    std::size_t bodyStart = end + 4;
    if (headOnly || r.status == 100) {
        buffer_.erase(0, bodyStart);
    } else if (r.headers.count("content-length")) {
        std::size_t len = std::stoul(r.headers["content-length"]);
        while (buffer_.size() < bodyStart + len)
            if (!fill(deadline)) return std::nullopt;
        r.body = buffer_.substr(bodyStart, len);
        buffer_.erase(0, bodyStart + len);
    } else if (r.headers["transfer-encoding"] == "chunked") {
        std::size_t p = bodyStart;
        for (;;) {
            std::size_t eol;
            while ((eol = buffer_.find("\r\n", p)) == std::string::npos)
                if (!fill(deadline)) return std::nullopt;
            std::size_t size = std::stoul(buffer_.substr(p, eol - p), nullptr, 16);
            while (buffer_.size() < eol + 2 + size + 2)
                if (!fill(deadline)) return std::nullopt;
            r.body += buffer_.substr(eol + 2, size);
            p = eol + 2 + size + 2;
            if (size == 0) break;
        }
        buffer_.erase(0, p);
    } else {
        buffer_.erase(0, bodyStart);
    }
    return r;
}

bool RawConnection::closedByServer(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!eof_) {
        buffer_.clear();
        if (!fill(deadline) && !eof_) return false;
    }
    return true;
}

std::string getRequest(const std::string& path, bool close) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
}

}  // namespace rosterd::test
