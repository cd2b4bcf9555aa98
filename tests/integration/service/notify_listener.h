#pragma once
// Plays the service manager's side of sd_notify(3): an AF_UNIX datagram socket whose path goes to
// the daemon as NOTIFY_SOCKET; every datagram is one message ("READY=1\nSTATUS=...").
#include <functional>
#include <string>
#include <vector>

namespace rosterd::test {

class NotifyListener {
public:
    /// Binds a socket at `path`.
    explicit NotifyListener(std::string path);
    ~NotifyListener();
    NotifyListener(const NotifyListener&) = delete;
    NotifyListener& operator=(const NotifyListener&) = delete;
    const std::string& path() const { return path_; }
    /// Waits up to `timeoutMs` for a message containing the line `line` (e.g. "READY=1"); returns it
    /// and keeps every message received so far (in order) in received(). Throws on timeout.
    std::string waitFor(const std::string& line, int timeoutMs = 20000);
    /// Same, for a message whose STATUS= text contains `fragment`.
    std::string waitForStatus(const std::string& fragment, int timeoutMs = 20000);
    /// Reads whatever is pending without waiting and marks everything received as seen, so the
    /// next waitFor only matches messages sent from now on.
    void skipPending();
    /// Every message received so far.
    const std::vector<std::string>& received() const { return received_; }
    /// Index in received() of the first message at or after `from` holding `line`, or -1.
    int indexOf(const std::string& line, std::size_t from = 0) const;

private:
    std::string waitUntil(const std::function<bool(const std::string&)>& matches, const std::string& what,
                          int timeoutMs);
    std::string path_;
    int fd_ = -1;
    std::vector<std::string> received_;
    std::size_t scanned_ = 0;
};

/// Whether a message holds the line exactly (messages are newline-separated assignments).
bool hasLine(const std::string& message, const std::string& line);
/// The value of KEY= in a message, or "" when absent.
std::string fieldOf(const std::string& message, const std::string& key);

}  // namespace rosterd::test
