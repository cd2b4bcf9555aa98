#include "notify_listener.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace rosterd::test {

NotifyListener::NotifyListener(std::string path) : path_(std::move(path)) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof addr.sun_path) throw std::runtime_error("notify socket path too long: " + path_);
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    unlink(path_.c_str());
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("bind " + path_ + ": " + std::strerror(errno));
}

NotifyListener::~NotifyListener() {
    if (fd_ >= 0) close(fd_);
    unlink(path_.c_str());
}

std::string NotifyListener::waitFor(const std::string& line, int timeoutMs) {
    return waitUntil([&](const std::string& m) { return hasLine(m, line); }, "'" + line + "'", timeoutMs);
}

std::string NotifyListener::waitForStatus(const std::string& fragment, int timeoutMs) {
    return waitUntil([&](const std::string& m) { return fieldOf(m, "STATUS").find(fragment) != std::string::npos; },
                     "STATUS with '" + fragment + "'", timeoutMs);
}

std::string NotifyListener::waitUntil(const std::function<bool(const std::string&)>& matches, const std::string& what,
                                      int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        for (; scanned_ < received_.size(); ++scanned_)
            if (matches(received_[scanned_])) return received_[scanned_++];
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) {
            std::string seen;
            for (const auto& m : received_) seen.append("[").append(m).append("] ");
            throw std::runtime_error("no " + what + " from the daemon; received: " + seen);
        }
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        char buf[4096];
        ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n > 0) received_.emplace_back(buf, static_cast<std::size_t>(n));
    }
}

void NotifyListener::skipPending() {
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT)) > 0) received_.emplace_back(buf, static_cast<std::size_t>(n));
    scanned_ = received_.size();
}

int NotifyListener::indexOf(const std::string& line, std::size_t from) const {
    for (std::size_t i = from; i < received_.size(); ++i)
        if (hasLine(received_[i], line)) return static_cast<int>(i);
    return -1;
}

bool hasLine(const std::string& message, const std::string& line) {
    std::istringstream in(message);
    std::string l;
    while (std::getline(in, l))
        if (l == line) return true;
    return false;
}

std::string fieldOf(const std::string& message, const std::string& key) {
    std::istringstream in(message);
    std::string l;
    while (std::getline(in, l))
        if (l.rfind(key + "=", 0) == 0) return l.substr(key.size() + 1);
    return "";
}

}  // namespace rosterd::test
