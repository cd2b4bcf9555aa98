#pragma once
// The built rosterd binary run the way systemd runs it: a config file, NOTIFY_SOCKET and
// WATCHDOG_USEC in the environment, output captured in a log file.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "notify_listener.h"
#include "support/http_client.h"
#include "support/process.h"

namespace rosterd::test {

struct DaemonOptions {
    std::string logLevel = "info";
    std::string shutdownTimeout = "20s";
    std::string databaseUrl;              ///< empty: a SQLite file in the daemon's folder
    std::string watchdogUsec = "400000";  ///< empty: no watchdog
    bool notify = true;                   ///< set NOTIFY_SOCKET
    std::vector<std::string> extraEnv;    ///< more KEY=value entries
    std::string extraConfig;              ///< appended to the INI file
};

class ServiceDaemon {
public:
    explicit ServiceDaemon(DaemonOptions options = {});
    /// Starts the process (the constructor does not, so tests can prepare the environment).
    void start();
    /// start(), then waits for READY=1 and returns that notification.
    std::string startReady();
    /// Adds a KEY=value environment entry for start().
    void addEnv(const std::string& entry) { options_.extraEnv.push_back(entry); }
    /// The INI text for these options with `logLevel` and `extra` lines.
    std::string configText(const std::string& logLevel, const std::string& extra = "") const;
    /// Rewrites the config file.
    void writeConfig(const std::string& text) const;
    /// The daemon's output so far.
    std::string log() const;
    /// Polls the output until it contains `text`; false after the deadline.
    bool waitForLog(const std::string& text, int timeoutMs = 20000) const;
    HttpClient client() const { return HttpClient(port_); }
    int port() const { return port_; }
    const std::string& dir() const { return dir_; }
    const std::string& logPath() const { return logPath_; }
    NotifyListener& notify() { return *notify_; }
    ChildProcess& process() { return process_; }

private:
    DaemonOptions options_;
    std::string dir_;
    std::string configPath_;
    std::string logPath_;
    std::string databaseUrl_;
    int port_ = 0;
    std::unique_ptr<NotifyListener> notify_;
    ChildProcess process_;
};

/// Signs up Ada (ada@example.com, password "correct horse"), the first account and so the admin,
/// and returns her token.
std::string signupAda(const HttpClient& c);

}  // namespace rosterd::test
