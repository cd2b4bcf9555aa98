#pragma once
// Running helper programs (initdb, slapd, psql, the rosterd binary) from tests.
#include <sys/types.h>

#include <string>
#include <vector>

namespace rosterd::test {

struct CommandResult {
    int exitCode = -1;
    std::string output;  ///< stdout and stderr together
};

/// Runs a program to completion; `asUser` runs it through runuser when we are root.
CommandResult runCommand(const std::vector<std::string>& argv, const std::string& asUser = "");
/// Same, but throws std::runtime_error with the output when the exit code is not 0.
std::string runChecked(const std::vector<std::string>& argv, const std::string& asUser = "");

/// A child process killed (SIGTERM, then SIGKILL) when this object goes away.
class ChildProcess {
public:
    ChildProcess() = default;
    /// Starts argv with extra "KEY=value" environment entries; output goes to `logFile`.
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& logFile);
    ChildProcess(ChildProcess&& o) noexcept;
    ChildProcess& operator=(ChildProcess&& o) noexcept;
    ~ChildProcess();
    pid_t pid() const { return pid_; }
    bool running();
    /// Sends a signal.
    void signal(int sig);
    /// Waits for exit; returns the exit code (128+signal when killed), or -1 on timeout.
    int wait(int timeoutMs);
    /// SIGTERM, wait, SIGKILL.
    void stop();

private:
    pid_t pid_ = -1;
    int status_ = -1;
};

/// The uid and gid of Debian's unprivileged `nobody`.
constexpr unsigned kNobody = 65534;
/// Whether something accepts TCP connections on 127.0.0.1:`port`.
bool loopbackPortOpen(int port);
/// A free TCP port on 127.0.0.1 (bound once and released).
int freePort();
/// A new temporary folder (mkdtemp under $TMPDIR or /tmp).
std::string makeTempDir(const std::string& prefix);
/// Whether the process runs as root.
bool isRoot();
/// Reads a whole file.
std::string readFile(const std::string& path);
/// Writes a whole file.
void writeFile(const std::string& path, const std::string& content);

}  // namespace rosterd::test
