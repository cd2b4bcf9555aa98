#include "ldap/connection_pool.h"

#include <spdlog/spdlog.h>

#include "ldap/ldap_error.h"

namespace rosterd::ldap {

ConnectionPool::ConnectionPool(LdapConfig config, std::string bindDn, std::string bindPassword)
    : config_(std::move(config)), bindDn_(std::move(bindDn)), bindPassword_(std::move(bindPassword)) {
    if (config_.poolSize == 0) config_.poolSize = 1;
}

Connection ConnectionPool::fresh() {
    Connection c = Connection::open(config_);
    if (!bindDn_.empty()) {
        try {
            c.bind(bindDn_, bindPassword_);
        } catch (const LdapError& e) {
            if (isConnectionLost(e.code())) throw Unreachable(e.what(), e.code());
            throw;
        }
    }
    return c;
}

Connection ConnectionPool::acquire() {
    {
        std::unique_lock lock(mutex_);
        if (!available_.wait_for(lock, config_.timeout,
                                 [&] { return !idle_.empty() || outstanding_ < config_.poolSize; }))
            throw LdapError("no directory connection became free within the timeout", -1);
        ++outstanding_;
        if (!idle_.empty()) {
            Connection c = std::move(idle_.back());
            idle_.pop_back();
            return c;
        }
    }
    return freshCounted();
}

void ConnectionPool::release(Connection c) {
    std::lock_guard lock(mutex_);
    --outstanding_;
    if (!c.lost()) idle_.push_back(std::move(c));
    available_.notify_one();
}

void ConnectionPool::discard(Connection c) {
    Connection dead = std::move(c);  // closed here, never pooled again
    std::lock_guard lock(mutex_);
    --outstanding_;
    available_.notify_one();
}

void ConnectionPool::dropIdle() {
    std::vector<Connection> dead;
    {
        std::lock_guard lock(mutex_);
        dead.swap(idle_);
    }
    if (!dead.empty())
        spdlog::info("ldap: dropped {} idle connections opened before the directory went away", dead.size());
}  // closed here, outside the lock

Connection ConnectionPool::acquireFresh() {
    {
        std::unique_lock lock(mutex_);
        if (!available_.wait_for(lock, config_.timeout, [&] { return outstanding_ < config_.poolSize; }))
            throw LdapError("no directory connection became free within the timeout", -1);
        ++outstanding_;
    }
    return freshCounted();
}

Connection ConnectionPool::freshCounted() {
    try {
        return fresh();
    } catch (...) {
        std::lock_guard lock(mutex_);
        --outstanding_;
        available_.notify_one();
        throw;
    }
}

void ConnectionPool::run(const std::function<void(Connection&)>& fn) {
    for (int attempt = 0;; ++attempt) {
        // The retry goes to a new connection: the idle ones were opened before the same drop.
        Connection c = attempt == 0 ? acquire() : acquireFresh();
        try {
            fn(c);
            release(std::move(c));
            return;
        } catch (const IncompleteRead&) {
            release(std::move(c));
            throw;
        } catch (const LdapError& e) {
            bool lost = c.lost() || isConnectionLost(e.code());
            if (lost)
                discard(std::move(c));
            else
                release(std::move(c));
            if (!lost || attempt > 0) throw;
            // One dead connection means the server went away (restart, failover, idle cut) and
            // took the other idle ones with it, as the store pool assumes too.
            dropIdle();
            spdlog::info("ldap: pooled connection was dead ({}), retrying on a new one", e.what());
        } catch (...) {
            release(std::move(c));  // the caller's own failure: the connection is still good
            throw;
        }
    }
}

}  // namespace rosterd::ldap
