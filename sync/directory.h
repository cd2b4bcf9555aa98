#pragma once
// What sync reads from a directory, as compact per-entry records, and the interface a directory
// source implements. Sync is generic over the source so the planner is tested without a server.
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace rosterd::sync {

/// One user entry, reduced to what the store keeps.
struct DirUser {
    std::string id;  ///< the entry's stable id (id_attribute, e.g. entryUUID)
    std::string dn;
    std::string username;
    std::string email;  ///< lower-cased
    std::string name;
    /// Set when the directory says the account may not be used (disabled, expired): such a user
    /// is deactivated by sync with this reason, and never created.
    std::string inactiveReason{};
    /// Active Directory: the SID of the user's primary group (its domain + primaryGroupID), which
    /// the group's member attribute does not list. Empty elsewhere.
    std::string primaryGroupSid{};
    /// The picture as a data: URL (ldap.photo_attribute); nullopt: none taken, the stored one stays.
    std::optional<std::string> profileImageUrl{};
};

/// One group entry. `members` are DNs, or usernames when the member attribute is memberUid.
struct DirGroup {
    std::string id;
    std::string dn;
    std::string name;
    std::vector<std::string> members;
    std::string sid{};  ///< Active Directory: objectSid as text, for the users whose primary group it is
};

using UserPage = std::function<void(std::vector<DirUser>&)>;
using GroupPage = std::function<void(std::vector<DirGroup>&)>;

/// Where a content-synchronisation (RFC 4533) reader stopped, per scope; opaque to sync.
struct SyncCookies {
    std::string users;
    std::string groups;
};

/// What changed in the directory since a pair of cookies.
struct DirectoryChanges {
    std::vector<DirUser> users;  ///< user entries added or modified (whole)
    std::vector<std::string>
        deletedUsers;  ///< stable ids of users deleted or gone out of scope (candidates, as for groups)
    /// Set when the server answered with a present phase instead of deletions: the stable ids of
    /// every unchanged user in scope (anything neither here nor in `users` is gone).
    std::optional<std::unordered_set<std::string>> presentUsers;
    std::size_t groupEntriesChanged = 0;  ///< group entries added or modified
    /// Stable ids reported deleted in the group scope. A server with a session log also lists
    /// entries changed elsewhere that *might* have left the scope, so these are only candidates.
    std::vector<std::string> deletedGroups;
    /// Like presentUsers, for groups.
    std::optional<std::unordered_set<std::string>> presentGroups;
    SyncCookies cookies;  ///< where the next incremental read starts
};

/// A directory read page by page. Implementations throw (LdapError or any exception) on any
/// error or incomplete read (dropped connection, size or time limit, a failed page): sync relies
/// on a normal return meaning "every entry in scope was delivered".
class DirectorySource {
public:
    virtual ~DirectorySource() = default;
    /// Delivers every user in scope, one page at a time; the callback may move the records out.
    /// A full read calls readUsers and readGroups at the same time, from two threads, when
    /// readsSideBySide() says so.
    virtual void readUsers(const UserPage& onPage) = 0;
    /// Delivers every group in scope, one page at a time; the callback may move the records out.
    virtual void readGroups(const GroupPage& onPage) = 0;
    /// True when group members are usernames (memberUid) rather than DNs.
    virtual bool membersAreUsernames() const = 0;
    /// True when readUsers and readGroups may run at the same time (false: one after the other).
    virtual bool readsSideBySide() const { return true; }

    /// Why this source cannot read changes incrementally; nullopt when it can.
    virtual std::optional<std::string> incrementalUnsupported() const { return "the source has no change feed"; }
    /// What the cookies depend on (bases, filters, attributes): a cookie taken under another
    /// scope says nothing about this one.
    virtual std::string scope() const { return ""; }
    /// Cookies for "now", taken before a full read so the next incremental read misses nothing.
    virtual SyncCookies currentCookies() { throw std::logic_error("no change feed"); }
    /// Everything that changed since `since`. Throws ldap::SyncRefreshRequired when the server no
    /// longer knows a cookie, and like the full reads on any error or incomplete read.
    virtual DirectoryChanges readChanges(const SyncCookies&) { throw std::logic_error("no change feed"); }
    /// True when a group in scope lists any of `users` as a direct member.
    virtual bool anyGroupLists(const std::vector<DirUser>&) { throw std::logic_error("no change feed"); }
};

/// Lower-cases ASCII letters (emails and DNs are compared case-insensitively).
std::string lowerAscii(std::string s);
/// A DN normalised for comparison: case-insensitive, without spaces after separators. Good enough
/// to match the member values a server writes back for the DNs it returns.
std::string dnKey(const std::string& dn);

}  // namespace rosterd::sync
