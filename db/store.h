#pragma once
// The one storage entry point. Every module writes through a Transaction so that a change and the
// outbox events describing it commit or roll back together.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/connection.h"
#include "db/result.h"
#include "db/write_turns.h"

namespace rosterd::db {

struct StoreConfig {
    std::string url = "sqlite://./data/rosterd.db";
    std::size_t poolSize = 8;
    std::chrono::milliseconds acquireTimeout{5000};
    /// SQLite: how long a writer waits for the file lock before failing.
    std::chrono::milliseconds busyTimeout{5000};
};

struct PoolStats {
    std::size_t size = 0;     ///< the configured maximum
    std::size_t open = 0;     ///< sessions currently open
    std::size_t inUse = 0;    ///< sessions checked out
    std::uint64_t waits = 0;  ///< acquisitions that had to wait
    std::uint64_t timeouts = 0;
};

class Store;

/// A pooled session, returned to the pool when destroyed.
class PooledConnection {
public:
    PooledConnection(Store& store, std::unique_ptr<Connection> conn);
    PooledConnection(PooledConnection&&) noexcept;
    PooledConnection& operator=(PooledConnection&&) = delete;
    ~PooledConnection();
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }

private:
    Store* store_;
    std::unique_ptr<Connection> conn_;
};

/// A unit of work: rolls back when destroyed unless commit() was called.
class Transaction {
public:
    Transaction(PooledConnection conn, Driver driver, TxMode mode, WriteTurns::Turn turn = {});
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    /// Runs a statement; see Connection::exec.
    ResultSet exec(std::string_view sql, const Params& params = {});
    /// Inserts many rows at once; see Connection::insertRows.
    void insertRows(std::string_view table, const std::vector<std::string>& columns, const Params& values);
    /// Runs several statements without parameters (migrations, bulk DDL).
    void execScript(std::string_view sql);
    /// Commits; afterwards the object is spent. Runs the after-commit callbacks.
    void commit();
    /// Registers work to run once this transaction has committed (e.g. wake the dispatcher).
    void afterCommit(std::function<void()> fn) { afterCommit_.push_back(std::move(fn)); }
    Driver driver() const { return driver_; }

private:
    WriteTurns::Turn turn_;  // declared first: released after the connection has gone back
    PooledConnection conn_;
    Driver driver_;
    bool open_ = true;
    std::vector<std::function<void()>> afterCommit_;
};

/// Held while a named lease (one sync at a time, across replicas) is taken.
class Lease {
public:
    virtual ~Lease() = default;
};

class Store {
public:
    /// Opens the store named by config.url (creating the SQLite file and folder if needed).
    /// Throws ConfigError for a malformed URL and ConnectionError when it cannot be reached.
    static std::unique_ptr<Store> open(const StoreConfig& config);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    Driver driver() const { return driver_; }
    /// Starts a transaction on a pooled session. SQLite write transactions take the write lock
    /// up front (BEGIN IMMEDIATE) so they never fail half-way on lock upgrade, after the earlier
    /// writers of this process, in arrival order (ConnectionError after busy_timeout).
    Transaction begin(TxMode mode = TxMode::Write);
    /// Runs fn(tx) in a transaction and commits it; rolls back if fn throws.
    template <typename F>
    auto transact(F&& fn, TxMode mode = TxMode::Write) -> decltype(fn(std::declval<Transaction&>())) {
        Transaction tx = begin(mode);
        if constexpr (std::is_void_v<decltype(fn(tx))>) {
            fn(tx);
            tx.commit();
        } else {
            auto result = fn(tx);
            tx.commit();
            return result;
        }
    }
    /// Applies pending migrations in one transaction; returns the names applied.
    std::vector<std::string> migrate();
    /// Names of migrations not applied yet.
    std::vector<std::string> pendingMigrations();
    /// Throws ConnectionError unless the database answers a trivial query.
    void ping();
    /// Tries to take the named lease without waiting: PostgreSQL advisory lock (held on a session
    /// of its own, so it spans replicas); SQLite: a lock inside this process. nullptr when busy.
    std::unique_ptr<Lease> tryLease(const std::string& name);
    PoolStats stats() const;

private:
    friend class PooledConnection;
    Store(Driver driver, StoreConfig config, std::string target);
    PooledConnection acquire();
    void release(std::unique_ptr<Connection> conn);
    std::unique_ptr<Connection> connect();

    Driver driver_;
    StoreConfig config_;
    std::string target_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;
    std::size_t inUse_ = 0;
    std::uint64_t waits_ = 0;
    std::uint64_t timeouts_ = 0;
    WriteTurns writeTurns_;  ///< SQLite only
    std::mutex leaseMutex_;
    std::vector<std::string> localLeases_;
};

}  // namespace rosterd::db
