#include "db/store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <set>

#include "common/errors.h"
#include "db/database_url.h"
#include "db/drivers.h"
#include "db/migrations.h"
#include "db/storage_file_error.h"

namespace rosterd::db {

// ---- PooledConnection ----

PooledConnection::PooledConnection(Store& store, std::unique_ptr<Connection> conn)
    : store_(&store), conn_(std::move(conn)) {}
PooledConnection::PooledConnection(PooledConnection&& o) noexcept : store_(o.store_), conn_(std::move(o.conn_)) {}
PooledConnection::~PooledConnection() {
    if (conn_) store_->release(std::move(conn_));
}

// ---- Transaction ----

Transaction::Transaction(PooledConnection conn, Driver driver, TxMode mode, WriteTurns::Turn turn)
    : turn_(std::move(turn)), conn_(std::move(conn)), driver_(driver) {
    conn_->begin(mode);
}
Transaction::Transaction(Transaction&& o) noexcept
    : turn_(std::move(o.turn_)),
      conn_(std::move(o.conn_)),
      driver_(o.driver_),
      open_(o.open_),
      afterCommit_(std::move(o.afterCommit_)) {
    o.open_ = false;
}
Transaction::~Transaction() {
    if (!open_) return;
    try {
        conn_->rollback();
    } catch (const std::exception& e) {
        spdlog::warn("rollback failed: {}", e.what());
    }
}

ResultSet Transaction::exec(std::string_view sql, const Params& params) {
    if (!open_) throw DbError("transaction already finished");
    return conn_->exec(sql, params);
}

void Transaction::insertRows(std::string_view table, const std::vector<std::string>& columns, const Params& values) {
    if (!open_) throw DbError("transaction already finished");
    if (columns.empty() || values.size() % columns.size() != 0)
        throw DbError("insertRows: " + std::to_string(values.size()) + " values do not fill rows of " +
                      std::to_string(columns.size()) + " columns");
    conn_->insertRows(table, columns, values);
}

void Transaction::execScript(std::string_view sql) {
    if (!open_) throw DbError("transaction already finished");
    conn_->execScript(sql);
}

void Transaction::commit() {
    if (!open_) throw DbError("transaction already finished");
    conn_->commit();
    open_ = false;
    turn_ = WriteTurns::Turn();  // the next writer need not wait for the after-commit work
    for (auto& fn : afterCommit_) {
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::warn("after-commit action failed: {}", e.what());
        }
    }
}

// ---- Store ----

namespace {

class LocalLease final : public Lease {
public:
    LocalLease(std::mutex& m, std::vector<std::string>& held, std::string name)
        : mutex_(m), held_(held), name_(std::move(name)) {}
    ~LocalLease() override {
        std::lock_guard lock(mutex_);
        held_.erase(std::find(held_.begin(), held_.end(), name_));
    }

private:
    std::mutex& mutex_;
    std::vector<std::string>& held_;
    std::string name_;
};

/// A PostgreSQL session-level advisory lock, held on a session of its own for the lease's life.
class AdvisoryLease final : public Lease {
public:
    AdvisoryLease(std::unique_ptr<Connection> conn, std::int64_t key) : conn_(std::move(conn)), key_(key) {}
    ~AdvisoryLease() override {
        try {
            conn_->exec("SELECT pg_advisory_unlock($1)", {key_});
        } catch (const std::exception&) {
            // Closing the session below releases the lock anyway.
        }
    }

private:
    std::unique_ptr<Connection> conn_;
    std::int64_t key_;
};

std::int64_t leaseKey(const std::string& name) {
    // FNV-1a: stable across processes and builds, unlike std::hash.
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : name) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(h >> 1);
}

}  // namespace

std::unique_ptr<Store> Store::open(const StoreConfig& config) {
    DatabaseUrl url = parseDatabaseUrl(config.url);
    if (url.driver == Driver::Sqlite) {
        std::filesystem::path p(url.target);
        std::error_code ec;
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
        if (ec)
            throw StorageFileError("cannot create folder '" + p.parent_path().string() + "': " + ec.message(),
                                   p.string(), ec.value());
    }
    std::unique_ptr<Store> store(new Store(url.driver, config, url.target));
    store->ping();
    return store;
}

Store::Store(Driver driver, StoreConfig config, std::string target)
    : driver_(driver), config_(std::move(config)), target_(std::move(target)) {
    if (config_.poolSize == 0) config_.poolSize = 1;
}

Store::~Store() = default;

std::unique_ptr<Connection> Store::connect() {
    if (driver_ == Driver::Sqlite) return openSqlite(target_, config_.busyTimeout);
    return openPostgres(target_);
}

PooledConnection Store::acquire() {
    std::unique_lock lock(mutex_);
    auto ready = [&] { return !idle_.empty() || open_ < config_.poolSize; };
    if (!ready()) {
        ++waits_;
        if (!available_.wait_for(lock, config_.acquireTimeout, ready)) {
            ++timeouts_;
            throw ConnectionError("all " + std::to_string(config_.poolSize) + " database connections are busy");
        }
    }
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        ++inUse_;
        return PooledConnection(*this, std::move(conn));
    }
    ++open_;
    ++inUse_;
    lock.unlock();
    try {
        return PooledConnection(*this, connect());
    } catch (...) {
        lock.lock();
        --open_;
        --inUse_;
        available_.notify_one();
        throw;
    }
}

void Store::release(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mutex_);
    --inUse_;
    if (conn->broken()) {
        // Dropped; the next acquire opens a fresh session, so the store recovers by itself. Idle
        // sessions went to the same server and are most likely dead too: drop them as well.
        --open_;
        open_ -= idle_.size();
        idle_.clear();
    } else {
        idle_.push_back(std::move(conn));
    }
    available_.notify_one();
}

Transaction Store::begin(TxMode mode) {
    WriteTurns::Turn turn;
    // The turn comes first: writers waiting for it hold no connection readers could use.
    if (driver_ == Driver::Sqlite && mode == TxMode::Write && !writeTurns_.take(config_.busyTimeout, turn))
        throw ConnectionError("the database is busy: other writes of this process held it for longer than " +
                              std::to_string(config_.busyTimeout.count()) + " ms");
    PooledConnection conn = acquire();
    return Transaction(std::move(conn), driver_, mode, std::move(turn));
}

void Store::ping() {
    PooledConnection conn = acquire();
    try {
        conn->exec("SELECT 1", {});
    } catch (const ConnectionError&) {
        throw;
    } catch (const DbError& e) {
        throw ConnectionError(e.what());
    }
}

std::vector<std::string> Store::pendingMigrations() {
    PooledConnection conn = acquire();
    conn->execScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
    std::set<std::string> applied;
    for (auto row : conn->exec("SELECT name FROM schema_migrations", {})) applied.insert(row.str(0));
    std::vector<std::string> pending;
    for (const auto& m : embeddedMigrations()) {
        if (!m.driver.empty() && m.driver != driverName(driver_)) continue;
        if (!applied.count(m.name)) pending.push_back(m.name);
    }
    return pending;
}

std::vector<std::string> Store::migrate() {
    {
        PooledConnection conn = acquire();
        conn->execScript(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
    }
    Transaction tx = begin(TxMode::Write);
    // Replicas starting together must not both apply the same migration.
    if (driver_ == Driver::Postgres) tx.exec("SELECT pg_advisory_xact_lock(7352001)");
    std::set<std::string> applied;
    for (auto row : tx.exec("SELECT name FROM schema_migrations")) applied.insert(row.str(0));
    std::vector<std::string> done;
    for (const auto& m : embeddedMigrations()) {
        if (!m.driver.empty() && m.driver != driverName(driver_)) continue;
        if (applied.count(m.name)) continue;
        try {
            tx.exec("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
                    {m.name, std::int64_t(std::time(nullptr))});
            tx.execScript(m.sql);
        } catch (const StorageFileError&) {
            throw;  // not the migration's fault: the file cannot be written
        } catch (const Error& e) {
            throw DbError("migration " + m.name + " failed: " + e.what());
        }
        applied.insert(m.name);
        done.push_back(m.name);
    }
    tx.commit();
    return done;
}

std::unique_ptr<Lease> Store::tryLease(const std::string& name) {
    if (driver_ == Driver::Sqlite) {
        std::lock_guard lock(leaseMutex_);
        if (std::find(localLeases_.begin(), localLeases_.end(), name) != localLeases_.end()) return nullptr;
        localLeases_.push_back(name);
        return std::make_unique<LocalLease>(leaseMutex_, localLeases_, name);
    }
    auto conn = connect();
    std::int64_t key = leaseKey(name);
    ResultSet rs = conn->exec("SELECT pg_try_advisory_lock($1)", {key});
    if (!rs.front().boolean(0)) return nullptr;
    return std::make_unique<AdvisoryLease>(std::move(conn), key);
}

PoolStats Store::stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{config_.poolSize, open_, inUse_, waits_, timeouts_};
}

}  // namespace rosterd::db
