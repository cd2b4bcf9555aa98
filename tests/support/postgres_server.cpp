#include "support/postgres_server.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "db/store.h"
#include "support/process.h"

namespace rosterd::test {
namespace {
const std::string kBin = "/usr/lib/postgresql/15/bin/";
const std::string kUser = "postgres";  // initdb and postgres refuse to run as root
}  // namespace

PostgresServer& PostgresServer::instance() {
    static PostgresServer server;
    return server;
}

PostgresServer::PostgresServer() {
    if (!std::filesystem::exists(kBin + "initdb"))
        throw std::runtime_error("PostgreSQL 15 is not installed (" + kBin +
                                 "initdb missing); scripts/test installs it");
    dir_ = makeTempDir("rosterd-pg");
    socketDir_ = dir_ + "/sock";
    std::filesystem::create_directories(socketDir_);
    if (isRoot()) runChecked({"chown", "-R", kUser + ":" + kUser, dir_});
    runChecked({kBin + "initdb", "-D", dir_ + "/data", "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"},
               kUser);
    port_ = freePort();
    start();
}

void PostgresServer::start() {
    std::string opts = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + socketDir_ +
                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
    runChecked(
        {kBin + "pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log", "-o", opts, "-w", "-t", "60", "start"},
        kUser);
}

void PostgresServer::stop() { runCommand({kBin + "pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}, kUser); }

void PostgresServer::crash() {
    runChecked({kBin + "pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}, kUser);
}

PostgresServer::~PostgresServer() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::urlFor(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::psql(const std::string& database, const std::string& sql) {
    return runChecked({"psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                       std::to_string(port_), "-U", "postgres", "-d", database, "-c", sql});
}

std::string PostgresServer::freshDatabaseUrl() {
    std::string name;
    {
        std::lock_guard lock(mutex_);
        name = "t" + std::to_string(getpid()) + "_" + std::to_string(++counter_);
    }
    psql("postgres", "CREATE DATABASE " + name);
    return urlFor(name);
}

std::string PostgresServer::migratedDatabaseUrl() {
    const std::string templateName = "rosterd_migrated";
    std::string name;
    {
        std::lock_guard lock(mutex_);
        name = "t" + std::to_string(getpid()) + "_" + std::to_string(++counter_);
    }
    std::lock_guard lock(templateMutex_);
    if (!templateReady_) {
        psql("postgres", "CREATE DATABASE " + templateName);
        db::StoreConfig config;
        config.url = urlFor(templateName);
        config.poolSize = 1;
        db::Store::open(config)->migrate();  // closed at the end of the statement: a template must be unused
        templateReady_ = true;
    }
    psql("postgres", "CREATE DATABASE " + name + " TEMPLATE " + templateName);
    return urlFor(name);
}

}  // namespace rosterd::test
