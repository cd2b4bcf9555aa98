#pragma once
// The entry a login name signed in as, kept for [ldap] login_dn_cache, so a returning sign-in binds
// to it without first searching for the name: what clients that send the password with every
// request (basic auth behind a proxy, scripts) cost the directory. Only a sign-in that succeeded
// puts a name here; the entry read after the bind must still match user_filter and the name, or
// the name is looked up again. A refused bind drops the name and searches as an uncached sign-in
// does, so a refusal costs the same whether a name is kept or not.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "common/expiring_map.h"

namespace rosterd::ldap {

class LoginDnCache {
public:
    /// `ttl` 0: off (nothing is kept). At most `capacity` names are kept.
    LoginDnCache(const Clock& clock, std::chrono::milliseconds ttl, std::size_t capacity = 10'000)
        : dns_(clock, ttl, capacity) {}
    bool enabled() const { return dns_.enabled(); }
    /// The DN `loginName` last signed in as, while fresh.
    std::optional<std::string> find(const std::string& loginName) const { return dns_.find(loginName); }
    /// Keeps `dn` for `loginName` for the ttl (names and DNs over kMaxBytes are not kept).
    static constexpr std::size_t kMaxBytes = 1024;
    void put(const std::string& loginName, const std::string& dn) {
        if (loginName.size() <= kMaxBytes && dn.size() <= kMaxBytes) dns_.put(loginName, dn);
    }
    void drop(const std::string& loginName) { dns_.erase(loginName); }
    std::size_t size() const { return dns_.size(); }

private:
    ExpiringMap<std::string> dns_;
};

}  // namespace rosterd::ldap
