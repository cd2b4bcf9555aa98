#include "ldap/read_watchdog.h"

#include <sys/socket.h>

namespace rosterd::ldap {

using Clock = std::chrono::steady_clock;

ReadWatchdog::ReadWatchdog(int fd, std::chrono::milliseconds idle, std::chrono::milliseconds total)
    : fd_(fd), idle_(idle), total_(total), end_(Clock::now() + total), lastProgress_(Clock::now()), thread_([this] {
          watch();
      }) {}

ReadWatchdog::~ReadWatchdog() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ReadWatchdog::progress() {
    std::lock_guard lock(mutex_);
    lastProgress_ = Clock::now();
}

bool ReadWatchdog::fired() const {
    std::lock_guard lock(mutex_);
    return !reason_.empty();
}

std::string ReadWatchdog::reason() const {
    std::lock_guard lock(mutex_);
    return reason_;
}

void ReadWatchdog::watch() {
    auto ms = [](auto d) { return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto now = Clock::now();
        if (now >= end_) {
            reason_ = "the whole read took longer than " + ms(total_) + " ms";
        } else if (now - lastProgress_ >= idle_) {
            reason_ = "nothing arrived for " + ms(now - lastProgress_) + " ms (timeout " + ms(idle_) + " ms)";
        }
        if (!reason_.empty()) {
            // Wakes libldap's wait with an end of stream; the descriptor itself stays libldap's.
            ::shutdown(fd_, SHUT_RDWR);
            return;
        }
        wake_.wait_until(lock, std::min(end_, lastProgress_ + idle_));
    }
}

}  // namespace rosterd::ldap
