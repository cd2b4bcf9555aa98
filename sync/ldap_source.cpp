#include "sync/ldap_source.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/case_fold.h"
#include "common/errors.h"
#include "common/log_safe.h"
#include "ldap/account_state.h"
#include "ldap/escape.h"
#include "ldap/in_chain.h"
#include "ldap/ldap_error.h"
#include "ldap/photo.h"
#include "ldap/sid.h"
#include "ldap/sync_client.h"

namespace rosterd::sync {
namespace {

bool isEntryUuid(const std::string& attribute) { return lowerAscii(attribute) == "entryuuid"; }

// The stable id as sync compares it. entryUUID is case-insensitive; the change feed spells it in
// lower case, so the full read does too.
std::string stableIdOf(const ldap::Entry& e, const std::string& idAttribute) {
    std::string id = ldap::stableId(e, idAttribute);
    return isEntryUuid(idAttribute) ? lowerAscii(std::move(id)) : id;
}

bool sameAttribute(const std::string& a, const std::string& b) { return lowerAscii(a) == lowerAscii(b); }

// The objectSid of `e` as text; empty (with a log line) when it is missing or malformed.
std::string sidTextOf(const ldap::Entry& e) {
    auto bytes = e.first(ldap::kObjectSid);
    if (!bytes) return "";
    auto sid = ldap::parseSid(*bytes);
    if (!sid) {
        spdlog::warn("ldap: {} has a malformed objectSid ({} bytes); its primary-group membership is not resolved",
                     e.dn, bytes->size());
        return "";
    }
    return sid->text();
}

// The SID of the user's primary group: the user's own domain with primaryGroupID as the RID.
std::string primaryGroupSidOf(const ldap::Entry& e) {
    auto rid = e.first(ldap::kPrimaryGroupId);
    if (!rid) return "";
    auto parsedRid = ldap::parseRid(*rid);
    if (!parsedRid) {
        spdlog::warn("ldap: {} has a malformed primaryGroupID '{}'; its primary-group membership is not resolved",
                     logSafe(e.dn), logSafe(*rid));
        return "";
    }
    std::string user = sidTextOf(e);
    if (user.empty()) return "";
    return user.substr(0, user.rfind('-')) + "-" + std::to_string(*parsedRid);
}

// A user entry reduced to what sync keeps, the same for a full read and a change feed. Values are
// moved out of the entry, which is spent; one attribute may serve two fields (username_attribute
// = mail), so only its last use moves it. Which ones do is worked out once per read, not per entry.
class UserMapping {
public:
    explicit UserMapping(const ldap::LdapConfig& c)
        : c_(c),
          usernameAgain_(sameAttribute(c.usernameAttribute, c.mailAttribute) ||
                         sameAttribute(c.usernameAttribute, c.nameAttribute)),
          mailAgain_(sameAttribute(c.mailAttribute, c.nameAttribute)) {}

    DirUser operator()(ldap::Entry& e, std::string id) const {
        auto value = [&e](const std::string& attribute, bool usedAgain) {
            return usedAgain ? e.first(attribute).value_or("") : e.takeFirst(attribute);
        };
        DirUser u;
        u.profileImageUrl = ldap::entryPhoto(e, c_);  // before the DN moves: a refusal's log names it
        u.id = std::move(id);
        u.dn = std::move(e.dn);
        u.username = value(c_.usernameAttribute, usernameAgain_);
        u.email = foldCase(value(c_.mailAttribute, mailAgain_));  // the accounts' email fold
        u.name = value(c_.nameAttribute, false);
        return u;
    }

private:
    const ldap::LdapConfig& c_;
    const bool usernameAgain_;
    const bool mailAgain_;
};

// The user attributes every read asks for, with the photo's when ldap.photo_attribute is set.
std::vector<std::string> userAttributes(const ldap::LdapConfig& c, std::vector<std::string> attributes) {
    if (!c.photoAttribute.empty()) attributes.push_back(c.photoAttribute);
    return attributes;
}

}  // namespace

bool LdapSource::membersAreUsernames() const {
    return lowerAscii(directory_.config().groupMemberAttribute) == "memberuid";
}

// Side by side, the two reads hold two of the service pool's connections at once.
bool LdapSource::readsSideBySide() const { return directory_.config().poolSize >= 2; }

void LdapSource::readUsers(const UserPage& onPage) {
    const ldap::LdapConfig& c = directory_.config();
    if (c.userBase.empty()) throw ConfigError("ldap.user_base", "is required for directory sync");
    ldap::SearchRequest req;
    req.base = c.userBase;
    req.filter = c.userFilter;
    req.attributes = userAttributes(c, {c.idAttribute, c.usernameAttribute, c.mailAttribute, c.nameAttribute});
    // Active Directory says in the entry whether the account may be used.
    const bool accountState = c.serverType == ldap::ServerType::ActiveDirectory;
    if (accountState)
        req.attributes.insert(req.attributes.end(), {ldap::kUserAccountControl, ldap::kAccountExpires, ldap::kObjectSid,
                                                     ldap::kPrimaryGroupId});
    const std::int64_t now = clock_ ? clock_->nowSeconds() : SystemClock().nowSeconds();
    req.bulk = true;
    req.baseMustExist = true;  // a misspelt base is an error, never an empty directory
    const UserMapping userOf(c);
    std::vector<DirUser> out;
    directory_.search(req, [&](std::vector<ldap::Entry>& page) {
        out.clear();
        out.reserve(page.size());
        for (auto& e : page) {
            std::string id = stableIdOf(e, c.idAttribute);
            std::string inactive = accountState ? ldap::accountStateReason(e, now) : "";
            std::string primaryGroup = accountState ? primaryGroupSidOf(e) : "";
            out.push_back(userOf(e, std::move(id)));
            out.back().inactiveReason = std::move(inactive);
            out.back().primaryGroupSid = std::move(primaryGroup);
        }
        onPage(out);
    });
}

void LdapSource::readGroups(const GroupPage& onPage) {
    const ldap::LdapConfig& c = directory_.config();
    if (c.groupBase.empty()) return;  // no group scope: users only
    ldap::SearchRequest req;
    req.base = c.groupBase;
    req.filter = c.groupFilter;
    req.attributes = {c.idAttribute, c.groupNameAttribute, c.groupMemberAttribute};
    // Active Directory names a user's primary group by the group's SID, never in `member`.
    const bool primaryGroups = c.serverType == ldap::ServerType::ActiveDirectory;
    if (primaryGroups) req.attributes.push_back(ldap::kObjectSid);
    req.bulk = true;
    req.baseMustExist = true;  // a missing group base would read as "every group is gone"
    const bool nameIsMembers = sameAttribute(c.groupNameAttribute, c.groupMemberAttribute);
    std::vector<DirGroup> out;
    directory_.search(req, [&](std::vector<ldap::Entry>& page) {
        if (!nestingOnServer_) out.clear();
        out.reserve(out.size() + page.size());
        for (auto& e : page) {
            std::string id = stableIdOf(e, c.idAttribute);
            std::string name =
                nameIsMembers ? e.first(c.groupNameAttribute).value_or("") : e.takeFirst(c.groupNameAttribute);
            std::string sid = primaryGroups ? sidTextOf(e) : "";
            out.push_back({std::move(id), std::move(e.dn), std::move(name),
                           std::move(e.valuesOf(c.groupMemberAttribute)), std::move(sid)});
        }
        if (!nestingOnServer_) onPage(out);
    });
    if (!nestingOnServer_) return;
    // Each group's members are the users in it at any depth, as the directory resolves it; the
    // searches run after the group read, which would otherwise hold a second connection.
    for (DirGroup& g : out) {
        ldap::SearchRequest users;
        users.base = c.userBase;
        users.filter = "(&" + c.userFilter + ldap::inChainFilter("memberOf", g.dn) + ")";
        users.attributes = {"1.1"};
        users.bulk = true;
        g.members.clear();
        directory_.search(users, [&](std::vector<ldap::Entry>& page) {
            for (auto& e : page) g.members.push_back(std::move(e.dn));
        });
    }
    onPage(out);
}

namespace {

// A filter no entry matches, cheap with the usual entryUUID index: reading "now" costs nothing.
constexpr const char* kMatchesNothing = "(entryUUID=00000000-0000-0000-0000-000000000000)";

}  // namespace

std::optional<std::string> LdapSource::incrementalUnsupported() const {
    const ldap::LdapConfig& c = directory_.config();
    // RFC 4533 names entries by entryUUID; any other stable id could not be matched to them.
    if (!isEntryUuid(c.idAttribute))
        return "incremental sync needs [ldap] id_attribute = entryUUID (it is " + c.idAttribute + ")";
    return std::nullopt;
}

std::string LdapSource::scope() const {
    const ldap::LdapConfig& c = directory_.config();
    return "users " + c.userBase + " " + c.userFilter + " " + c.idAttribute + "," + c.usernameAttribute + "," +
           c.mailAttribute + "," + c.nameAttribute + (c.photoAttribute.empty() ? "" : "," + c.photoAttribute) +
           "; groups " + c.groupBase + " " + c.groupFilter + " " + c.groupNameAttribute + "," + c.groupMemberAttribute;
}

SyncCookies LdapSource::currentCookies() {
    const ldap::LdapConfig& c = directory_.config();
    SyncCookies cookies;
    directory_.withServiceConnection([&](ldap::Connection& conn) {
        ldap::SyncRequest req;
        req.filter = kMatchesNothing;
        req.attributes = {"1.1"};
        req.base = c.userBase;
        cookies.users = ldap::refreshOnly(conn, req, {}).cookie;
        if (!c.groupBase.empty()) {
            req.base = c.groupBase;
            cookies.groups = ldap::refreshOnly(conn, req, {}).cookie;
        }
    });
    if (cookies.users.empty() || (!c.groupBase.empty() && cookies.groups.empty()))
        throw LdapError("the directory returned no content-synchronisation cookie (is the syncprov overlay on?)");
    return cookies;
}

DirectoryChanges LdapSource::readChanges(const SyncCookies& since) {
    const ldap::LdapConfig& c = directory_.config();
    const UserMapping userOf(c);
    DirectoryChanges changes;
    directory_.withServiceConnection([&](ldap::Connection& conn) {
        changes = DirectoryChanges{};  // the pool re-runs this on a fresh connection after a drop
        ldap::SyncRequest users;
        users.base = c.userBase;
        users.filter = c.userFilter;
        users.attributes = userAttributes(c, {c.usernameAttribute, c.mailAttribute, c.nameAttribute});
        users.cookie = since.users;
        std::unordered_set<std::string> present;
        ldap::SyncHandler onUsers;
        onUsers.onEntry = [&](ldap::SyncEntry& se) {
            switch (se.phase) {
                case ldap::SyncPhase::Add:
                case ldap::SyncPhase::Modify:
                    changes.users.push_back(userOf(se.entry, se.uuid));
                    break;
                case ldap::SyncPhase::Delete:
                    changes.deletedUsers.push_back(se.uuid);
                    break;
                case ldap::SyncPhase::Present:
                    present.insert(se.uuid);
                    break;
            }
        };
        onUsers.onIdSet = [&](ldap::SyncPhase phase, const std::vector<std::string>& uuids) {
            if (phase == ldap::SyncPhase::Delete)
                changes.deletedUsers.insert(changes.deletedUsers.end(), uuids.begin(), uuids.end());
            else
                present.insert(uuids.begin(), uuids.end());
        };
        ldap::SyncResult ur = ldap::refreshOnly(conn, users, onUsers);
        if (!ur.refreshDeletes) changes.presentUsers = std::move(present);
        changes.cookies.users = ur.cookie;

        if (c.groupBase.empty()) return;
        ldap::SyncRequest groups;
        groups.base = c.groupBase;
        groups.filter = c.groupFilter;
        groups.attributes = {"1.1"};  // any change to a group sends this run to a full read
        groups.cookie = since.groups;
        std::unordered_set<std::string> presentGroups;
        ldap::SyncHandler onGroups;
        onGroups.onEntry = [&](ldap::SyncEntry& se) {
            if (se.phase == ldap::SyncPhase::Present)
                presentGroups.insert(se.uuid);
            else if (se.phase == ldap::SyncPhase::Delete)
                changes.deletedGroups.push_back(se.uuid);
            else
                ++changes.groupEntriesChanged;
        };
        onGroups.onIdSet = [&](ldap::SyncPhase phase, const std::vector<std::string>& uuids) {
            if (phase == ldap::SyncPhase::Delete)
                changes.deletedGroups.insert(changes.deletedGroups.end(), uuids.begin(), uuids.end());
            else
                presentGroups.insert(uuids.begin(), uuids.end());
        };
        ldap::SyncResult gr = ldap::refreshOnly(conn, groups, onGroups);
        if (!gr.refreshDeletes) changes.presentGroups = std::move(presentGroups);
        changes.cookies.groups = gr.cookie;
    });
    return changes;
}

bool LdapSource::anyGroupLists(const std::vector<DirUser>& users) {
    const ldap::LdapConfig& c = directory_.config();
    if (c.groupBase.empty() || users.empty()) return false;
    const bool byUsername = membersAreUsernames();
    constexpr std::size_t kPerQuery = 50;
    for (std::size_t b = 0; b < users.size(); b += kPerQuery) {
        std::string any = "(|";
        for (std::size_t i = b; i < std::min(users.size(), b + kPerQuery); ++i)
            any += ldap::equalityFilter(c.groupMemberAttribute, byUsername ? users[i].username : users[i].dn);
        ldap::SearchRequest req;
        req.base = c.groupBase;
        req.filter = "(&" + c.groupFilter + any + "))";
        req.attributes = {"1.1"};
        if (!directory_.searchAll(req).empty()) return true;
    }
    return false;
}

}  // namespace rosterd::sync
