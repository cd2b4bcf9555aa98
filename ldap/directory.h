#pragma once
// The directory as the rest of rosterd sees it: searches as the service account and password
// checks by binding as an entry, each on its own connection pool. Generic: knows nothing of users.
#include <memory>
#include <optional>
#include <string>

#include "ldap/bind_refusal.h"
#include "ldap/connection_pool.h"
#include "ldap/ldap_config.h"

namespace rosterd::ldap {

class Directory {
public:
    /// Reads the service password from config.bindPasswordFile; connects lazily.
    explicit Directory(LdapConfig config);

    const LdapConfig& config() const { return config_; }
    /// Paged search as the service account (page size from config unless the request sets one).
    SearchSummary search(SearchRequest request, const PageCallback& onPage);
    /// Every entry matching the request, collected (for small result sets such as one login).
    std::vector<Entry> searchAll(SearchRequest request);
    /// Whether `password` is right for `dn` (a simple bind on the bind pool). Empty password:
    /// false without contacting the server. Throws Unreachable / LdapError when the directory
    /// fails rather than refuses.
    bool checkPassword(const std::string& dn, const std::string& password);
    /// Binds as `dn` with `password` on the bind pool: nullopt when the directory accepts it, else
    /// why it refused (from an Active Directory diagnostic; WrongCredentials for an empty
    /// password or a plain refusal). Throws like checkPassword.
    std::optional<BindRefusal> verifyPassword(const std::string& dn, const std::string& password);
    /// Runs `fn` on a service-bound connection (syncrepl, reads).
    void withServiceConnection(const std::function<void(Connection&)>& fn);
    /// Throws when the directory cannot be reached as the service account or cannot read the
    /// user base (readiness): a bind and a base read, nothing optional.
    void ping();

private:
    LdapConfig config_;
    ConnectionPool service_;
    ConnectionPool binds_;
};

}  // namespace rosterd::ldap
