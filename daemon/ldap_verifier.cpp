#include "daemon/ldap_verifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "common/errors.h"
#include "common/log_safe.h"
#include "ldap/entry.h"
#include "ldap/escape.h"
#include "ldap/in_chain.h"
#include "ldap/ldap_error.h"
#include "ldap/member_of.h"
#include "ldap/photo.h"
#include "ldap/primary_group.h"
#include "ldap/sid.h"

namespace rosterd::daemon {
namespace {

std::vector<accounts::DirectoryGroupRef> groupsOf(ldap::Directory& directory, const ldap::Entry& user,
                                                  const std::string& username, GroupNesting nesting, bool fromMemberOf,
                                                  ldap::NestingCache* nestingCache) {
    const auto& c = directory.config();
    if (c.groupBase.empty()) return {};
    const bool byName = ldap::membersByName(c);
    // memberUid values are names, which no chain of groups links.
    const bool byServer = nesting == GroupNesting::ByServer && !byName;
    const std::string byMember = byServer ? ldap::inChainFilter(c.groupMemberAttribute, user.dn)
                                          : ldap::equalityFilter(c.groupMemberAttribute, byName ? username : user.dn);
    // Active Directory names the primary group by primaryGroupID, never in `member`. It counts
    // directly, as sync counts it; the chain rule does not follow primaryGroupID, so with server
    // nesting the groups holding it do not count (nor do they in sync).
    const std::string primary =
        c.serverType == ldap::ServerType::ActiveDirectory ? ldap::primaryGroupFilter(user) : std::string();
    ldap::SearchRequest req;
    req.base = c.groupBase;
    req.attributes = {c.groupNameAttribute, c.idAttribute};
    std::vector<accounts::DirectoryGroupRef> out;
    std::set<std::string> seen;  // DNs, so a cycle of groups ends
    std::vector<std::string> found;
    auto take = [&](const std::vector<ldap::Entry>& groups) {
        for (const auto& g : groups) {
            if (!seen.insert(g.dn).second) continue;
            found.push_back(g.dn);
            auto name = g.first(c.groupNameAttribute);
            if (!name) continue;
            std::string id = ldap::stableId(g, c.idAttribute);
            out.push_back({id.empty() ? g.dn : id, g.dn, *name});
        }
    };
    std::optional<std::vector<ldap::GroupByDn>> listed;
    if (fromMemberOf)
        listed = ldap::groupsNamedByDn(user.values(c.memberOfAttribute), c.groupBase, c.groupNameAttribute);
    if (listed) {
        // The entry read after the bind named them: no search. Their stable ids are not in the
        // DN, and sign-in without group sync needs the names only.
        for (auto& g : *listed)
            if (seen.insert(g.dn).second) {
                found.push_back(g.dn);
                out.push_back({"", std::move(g.dn), std::move(g.name)});
            }
        if (!primary.empty()) {
            req.filter = "(&" + c.groupFilter + primary + ")";
            take(directory.searchAll(req));
        }
    } else {
        if (fromMemberOf)
            spdlog::debug("ldap login: {}'s {} does not name every group under the group base; searching instead",
                          logSafe(user.dn), c.memberOfAttribute);
        // The groups listing the user and the primary group in one search.
        req.filter = "(&" + c.groupFilter + (primary.empty() ? byMember : "(|" + byMember + primary + ")") + ")";
        take(directory.searchAll(req));
    }
    if (byServer)
        spdlog::debug("ldap login: {} is in {} group(s) at any depth (LDAP_MATCHING_RULE_IN_CHAIN)", logSafe(user.dn),
                      out.size());
    // Groups list their member groups by DN (memberUid groups cannot nest): one search per level
    // for the groups that list any group found so far.
    const bool byLevels = nesting == GroupNesting::ByLevels && !byName;
    for (std::size_t level = 0; byLevels && !found.empty() && level < kMaxGroupNesting; ++level) {
        // In DN order, so the same groups make the same filter (the cache's key) whatever order
        // the directory named them in.
        std::sort(found.begin(), found.end());
        std::string any;
        for (const auto& dn : found) any += ldap::equalityFilter(c.groupMemberAttribute, dn);
        found.clear();
        req.filter = "(&" + c.groupFilter + "(|" + any + "))";
        std::optional<std::vector<ldap::Entry>> kept = nestingCache ? nestingCache->find(req.filter) : std::nullopt;
        if (!kept) {
            kept = directory.searchAll(req);
            if (nestingCache) nestingCache->put(req.filter, *kept);
        }
        take(*kept);
    }
    return out;
}

const char* refusalMessage(ldap::BindRefusal refusal) {
    switch (refusal) {
        case ldap::BindRefusal::PasswordExpired:
            return "Your directory password has expired; change it, then sign in again.";
        case ldap::BindRefusal::MustChangePassword:
            return "Your directory password must be changed before you can sign in; change it, then sign in again.";
        case ldap::BindRefusal::AccountExpired:
            return "This directory account has expired; ask an administrator.";
        case ldap::BindRefusal::Disabled:
            return "This directory account is disabled; ask an administrator.";
        case ldap::BindRefusal::WrongCredentials:
        case ldap::BindRefusal::Locked:  // said before the password is checked: the generic answer
            break;
    }
    return "";
}

}  // namespace

GroupNesting groupNestingOf(const accounts::DirectoryPolicyConfig& policy) {
    if (policy.nestedGroupsByServer) return GroupNesting::ByServer;
    return policy.nestedGroups ? GroupNesting::ByLevels : GroupNesting::Direct;
}

accounts::DirectoryCheck LdapVerifier::verify(const std::string& loginName, const std::string& password) {
    try {
        return verifyOrThrow(loginName, password);
    } catch (const ldap::Unreachable& e) {
        spdlog::error("ldap login of '{}': {}", logSafe(loginName), e.what());
        throw Unavailable("The directory cannot be reached; try again later");
    } catch (const LdapError& e) {
        // The reason stays in the log: it can name the entry a bind was made to (so that the name
        // exists), the base and the filter, none of which an anonymous caller may learn.
        spdlog::error("ldap login of '{}': {}", logSafe(loginName), e.what());
        throw Unavailable("The directory failed to answer; try again later");
    }
}

accounts::DirectoryCheck LdapVerifier::verifyOrThrow(const std::string& loginName, const std::string& password) {
    const auto& c = directory_.config();
    // Any of the login attributes may carry the name (sAMAccountName, userPrincipalName, mail on AD).
    std::string byName;
    for (const auto& attribute : ldap::loginAttributesOf(c)) byName += ldap::equalityFilter(attribute, loginName);
    const std::string filter = "(&" + c.userFilter + "(|" + byName + "))";
    GroupReading groups;
    groups.wanted = c.groupSyncOnLogin || reads_.groups;
    // Group sync needs each group's stable id, and the chain rule every depth: neither is in
    // memberOf, so those ask the group base as before.
    groups.fromMemberOf = groups.wanted && !c.memberOfAttribute.empty() && !c.groupSyncOnLogin &&
                          reads_.nesting != GroupNesting::ByServer && !ldap::membersByName(c);
    ldap::LoginDnCache* kept = reads_.loginDns && reads_.loginDns->enabled() ? reads_.loginDns : nullptr;

    // A name kept from an earlier sign-in: bind to its entry, then read it, filtered as the search
    // would be, so an entry that no longer matches (disabled, renamed) is looked up again.
    struct Bound {
        std::string dn;
        std::optional<ldap::BindRefusal> refused;
    };
    std::optional<Bound> triedKept;
    if (const auto dn = kept ? kept->find(loginName) : std::nullopt) {
        triedKept = Bound{*dn, directory_.verifyPassword(*dn, password)};
        if (!triedKept->refused)
            if (auto e = readEntry(*dn, filter, groups.fromMemberOf)) return {accountOf(*e, loginName, groups), "", ""};
        kept->drop(loginName);
    }

    ldap::SearchRequest req;
    req.base = c.userBase;
    req.filter = filter;
    // The DN only ("1.1": no attributes): what the entry says is read once the password is
    // proven, so a refusal costs the same whether or not a name exists.
    req.attributes = {"1.1"};
    const auto found = directory_.searchAll(req);
    // One bind either way, and to an entry that exists either way (the user base when the name
    // matches no single entry; that bind's outcome is ignored): the directory looks an entry up
    // for both answers, so their timing does not tell which names exist. A kept name's bind
    // stands for it when the search finds the same entry or none: a refusal then costs a bind
    // and a search, kept or not.
    const bool single = found.size() == 1;
    const auto refused = triedKept && (!single || found.front().dn == triedKept->dn)
                             ? triedKept->refused
                             : directory_.verifyPassword(single ? found.front().dn : c.userBase, password);
    if (!single)
        return {
            std::nullopt,
            found.empty() ? "no directory entry matches" : std::to_string(found.size()) + " directory entries match",
            ""};
    const std::string& dn = found.front().dn;
    if (refused) {
        accounts::DirectoryCheck no{
            std::nullopt, "the directory refused the bind as " + dn + " (" + ldap::describe(*refused) + ")", ""};
        // Only what the directory says after checking the password reaches the caller.
        if (ldap::passwordWasRight(*refused)) no.clientMessage = refusalMessage(*refused);
        return no;
    }
    const auto e = readEntry(dn, "", groups.fromMemberOf);
    if (!e) return {std::nullopt, "the entry " + dn + " went away after the bind", ""};
    accounts::DirectoryCheck yes{accountOf(*e, loginName, groups), "", ""};
    if (kept) kept->put(loginName, dn);
    return yes;
}

std::optional<ldap::Entry> LdapVerifier::readEntry(const std::string& dn, const std::string& filter,
                                                   bool withMemberOf) {
    const auto& c = directory_.config();
    ldap::SearchRequest read;
    read.base = dn;
    read.scope = ldap::Scope::Base;
    if (!filter.empty()) read.filter = filter;
    read.attributes = {c.usernameAttribute, c.mailAttribute, c.nameAttribute, c.idAttribute};
    if (!c.photoAttribute.empty()) read.attributes.push_back(c.photoAttribute);
    if (c.serverType == ldap::ServerType::ActiveDirectory)
        read.attributes.insert(read.attributes.end(), {ldap::kObjectSid, ldap::kPrimaryGroupId});
    if (withMemberOf) read.attributes.push_back(c.memberOfAttribute);
    auto entries = directory_.searchAll(read);
    if (entries.size() != 1) return std::nullopt;
    return std::move(entries.front());
}

accounts::DirectoryAccount LdapVerifier::accountOf(const ldap::Entry& e, const std::string& loginName,
                                                   GroupReading groups) {
    const auto& c = directory_.config();
    accounts::DirectoryAccount a;
    a.dn = e.dn;
    a.externalId = ldap::stableId(e, c.idAttribute);
    if (a.externalId.empty())
        throw InvalidInput("The directory entry has no '" + c.idAttribute + "' attribute (ldap.id_attribute)");
    auto mail = e.first(c.mailAttribute);
    if (!mail || mail->empty())
        throw InvalidInput("The directory entry has no '" + c.mailAttribute +
                           "' attribute (ldap.mail_attribute); an email address is required to log in");
    a.email = *mail;
    a.username = e.first(c.usernameAttribute).value_or(loginName);
    a.name = e.first(c.nameAttribute).value_or(a.username);
    a.profileImageUrl = ldap::entryPhoto(e, c);
    if (groups.wanted)
        a.groups = groupsOf(directory_, e, a.username, reads_.nesting, groups.fromMemberOf, reads_.nestingCache);
    return a;
}

}  // namespace rosterd::daemon
