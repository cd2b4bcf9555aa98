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
    /// Creates a database with every migration applied and returns its URL: a copy of a template
    /// database migrated once per server (CREATE DATABASE ... TEMPLATE), not a migration per test.
    std::string migratedDatabaseUrl();
    /// URL of the given database.
    std::string urlFor(const std::string& database) const;
    int port() const { return port_; }
    /// Runs SQL through psql on the given database; returns its output.
    std::string psql(const std::string& database, const std::string& sql);
    /// Stops the server (fast shutdown) so clients see it go away; start() brings it back.
    void stop();
    void start();
    /// Stops the server at once (pg_ctl stop -m immediate), as a crash would: every session is
    /// cut mid-statement, open transactions roll back at the next start().
    void crash();

private:
    PostgresServer();
    std::string dir_;
    std::string socketDir_;
    int port_ = 0;
    int counter_ = 0;
    bool templateReady_ = false;
    std::mutex mutex_;
    std::mutex templateMutex_;  // held while the template is made and copied (it must be unused)
};

}  // namespace rosterd::test
