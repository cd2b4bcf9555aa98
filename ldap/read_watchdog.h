#pragma once
// A bound on a read that libldap would otherwise wait on forever: libldap's refreshOnly loop
// (ldap_sync_init) polls without a deadline, so a directory that stops answering (paused,
// half-open network) holds the run. The watchdog shuts the connection's socket down when the
// read makes no progress for `idle`, or runs past `total`; libldap's next wait then fails as a
// dropped connection, and the caller reports the timeout.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace rosterd::ldap {

class ReadWatchdog {
public:
    /// Watches the socket `fd` (not owned; it must outlive the watchdog).
    ReadWatchdog(int fd, std::chrono::milliseconds idle, std::chrono::milliseconds total);
    ReadWatchdog(const ReadWatchdog&) = delete;
    ReadWatchdog& operator=(const ReadWatchdog&) = delete;
    /// Stops watching (the socket is left as it is unless the watchdog already fired).
    ~ReadWatchdog();

    /// Something arrived: the idle bound starts over.
    void progress();
    /// Whether the socket was shut down; why, for the error message ("" when not fired).
    bool fired() const;
    std::string reason() const;

private:
    void watch();
    const int fd_;
    const std::chrono::milliseconds idle_;
    const std::chrono::milliseconds total_;
    const std::chrono::steady_clock::time_point end_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::chrono::steady_clock::time_point lastProgress_;
    bool stopping_ = false;
    std::string reason_;
    std::thread thread_;  // last: started once everything above is set
};

}  // namespace rosterd::ldap
