#pragma once
// What sync reads from a directory, as compact per-entry records, and the interface a directory
// source implements. Sync is generic over the source so the planner is tested without a server.
#include <functional>
#include <string>
#include <vector>

namespace rosterd::sync {

/// One user entry, reduced to what the store keeps.
struct DirUser {
    std::string id;        ///< the entry's stable id (id_attribute, e.g. entryUUID)
    std::string dn;
    std::string username;
    std::string email;     ///< lower-cased
    std::string name;
};

/// One group entry. `members` are DNs, or usernames when the member attribute is memberUid.
struct DirGroup {
    std::string id;
    std::string dn;
    std::string name;
    std::vector<std::string> members;
};

using UserPage = std::function<void(std::vector<DirUser>&)>;
using GroupPage = std::function<void(std::vector<DirGroup>&)>;

/// A directory read page by page. Implementations throw (LdapError or any exception) on any
/// error or incomplete read (dropped connection, size or time limit, a failed page): sync relies
/// on a normal return meaning "every entry in scope was delivered".
class DirectorySource {
public:
    virtual ~DirectorySource() = default;
    /// Delivers every user in scope, one page at a time.
    virtual void readUsers(const UserPage& onPage) = 0;
    /// Delivers every group in scope, one page at a time.
    virtual void readGroups(const GroupPage& onPage) = 0;
    /// True when group members are usernames (memberUid) rather than DNs.
    virtual bool membersAreUsernames() const = 0;
};

/// Lower-cases ASCII letters (emails and DNs are compared case-insensitively).
std::string lowerAscii(std::string s);

}  // namespace rosterd::sync
