#pragma once
// RFC 4533 content synchronisation in refreshOnly mode, over libldap's ldap_sync_* API. One call
// brings the caller from `cookie` to now: entries that changed arrive whole (add/modify), removals
// arrive as deleted UUIDs, or (without a server session log) as the set of present UUIDs from
// which absences are inferred.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ldap/connection.h"
#include "ldap/entry.h"

namespace rosterd::ldap {

enum class SyncPhase { Present, Add, Modify, Delete };

struct SyncEntry {
    std::string uuid;  ///< entryUUID as a UUID string
    SyncPhase phase;
    Entry entry;  ///< full attributes for Add/Modify; DN only for Present/Delete
};

struct SyncRequest {
    std::string base;
    Scope scope = Scope::Subtree;
    std::string filter = "(objectClass=*)";
    std::vector<std::string> attributes;
    std::string cookie;  ///< empty: a full load
};

struct SyncHandler {
    std::function<void(SyncEntry&)> onEntry;
    /// An id-set message: `phase` is Present or Delete, `uuids` the UUID strings.
    std::function<void(SyncPhase phase, const std::vector<std::string>& uuids)> onIdSet;
};

struct SyncResult {
    std::string cookie;           ///< store it for the next call (may equal the old one)
    bool refreshDeletes = false;  ///< true: removals came as Delete; false: absent from Present = gone
    std::size_t entries = 0;
};

/// Runs one refreshOnly sync on `connection` (already bound). Throws SyncRefreshRequired when the
/// server no longer knows the cookie, LdapError/IncompleteRead when the exchange fails midway.
SyncResult refreshOnly(Connection& connection, const SyncRequest& request, const SyncHandler& handler);

}  // namespace rosterd::ldap
