#pragma once
// The directory as the daemon uses it right now: the ldap::Directory (connection pools) and the
// login policy built from one [ldap] section. A reload swaps in a new pair; a login or sync that
// already took the old pair finishes with it (shared ownership), later ones get the new one.
#include <memory>
#include <mutex>
#include <utility>

#include "accounts/directory_login.h"
#include "ldap/directory.h"
#include "ldap/login_dn_cache.h"
#include "ldap/nesting_cache.h"

namespace rosterd::daemon {

struct DirectoryBinding {
    std::shared_ptr<ldap::Directory> directory;       ///< null when LDAP is off
    std::shared_ptr<accounts::DirectoryLogin> login;  ///< null when LDAP is off
    /// Sign-in's kept nesting answers ([ldap] nested_groups_cache); new with every reload, as
    /// the filters and bases they answer may have changed.
    std::shared_ptr<ldap::NestingCache> nesting;
    /// Sign-in's kept login name to DN answers ([ldap] login_dn_cache); new with every reload, as
    /// the user base and filter may have changed.
    std::shared_ptr<ldap::LoginDnCache> loginDns;
};

class DirectoryAccess {
public:
    /// The current pair; callers keep the copy for the whole request or run.
    DirectoryBinding current() const {
        std::lock_guard lock(mutex_);
        return current_;
    }
    /// Makes `next` the pair later callers get; holders of the previous one are unaffected.
    void replace(DirectoryBinding next) {
        DirectoryBinding old;
        {
            std::lock_guard lock(mutex_);
            old = std::exchange(current_, std::move(next));
        }
        // `old` may be the last reference: its pools close their connections outside the lock.
    }

private:
    mutable std::mutex mutex_;
    DirectoryBinding current_;
};

}  // namespace rosterd::daemon
