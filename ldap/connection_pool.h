#pragma once
// A bounded pool of connections so concurrent operations don't serialise on one socket. A
// connection that dropped (server restart, idle timeout) is thrown away together with every idle
// one (they went down with the same server), and the operation retried once on a newly opened
// connection, so callers never see a stale socket.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "ldap/connection.h"
#include "ldap/ldap_config.h"

namespace rosterd::ldap {

class ConnectionPool {
public:
    /// `bindDn` empty: connections stay unbound (used for user binds, which bind per operation).
    ConnectionPool(LdapConfig config, std::string bindDn, std::string bindPassword);
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    /// Runs `fn` on a pooled connection. If the connection turns out to be dead before `fn`
    /// finished, it is replaced and `fn` runs once more; IncompleteRead is never retried.
    /// Throws Unreachable when no connection can be opened, LdapError for other failures.
    void run(const std::function<void(Connection&)>& fn);

private:
    Connection acquire();
    /// A newly opened connection (never an idle one), within the pool's bound.
    Connection acquireFresh();
    /// Closes every idle connection.
    void dropIdle();
    void release(Connection c);
    void discard(Connection c);
    Connection fresh();
    /// fresh() for a slot already counted in outstanding_; gives the slot back when opening fails.
    Connection freshCounted();

    LdapConfig config_;
    std::string bindDn_;
    std::string bindPassword_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<Connection> idle_;
    std::size_t outstanding_ = 0;
};

}  // namespace rosterd::ldap
