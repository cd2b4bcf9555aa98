#pragma once
// A private PostgreSQL server for the test process: initdb in a temp folder, postgres on a free
// loopback port, stopped at exit. Started once per test executable, on first use.
#include <mutex>
#include <string>

namespace rosterd::test {

class PostgresServer {
public:
    /// The process-wide server, started on first call; throws (failing the test) if it cannot start.
    static PostgresServer& instance();
    ~PostgresServer();
    /// Creates an empty database and returns its postgresql:// URL.
    std::string freshDatabaseUrl();
    /// URL of the given database.
    std::string urlFor(const std::string& database) const;
    int port() const { return port_; }
    /// Runs SQL through psql on the given database; returns its output.
    std::string psql(const std::string& database, const std::string& sql);
    /// Stops the server (fast shutdown) so clients see it go away; start() brings it back.
    void stop();
    void start();

private:
    PostgresServer();
    std::string dir_;
    std::string socketDir_;
    int port_ = 0;
    int counter_ = 0;
    std::mutex mutex_;
};

}  // namespace rosterd::test
