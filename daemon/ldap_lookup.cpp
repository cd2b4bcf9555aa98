#include "daemon/ldap_lookup.h"

#include <set>

#include "accounts/directory_policy.h"
#include "accounts/user_store.h"
#include "daemon/ldap_verifier.h"
#include "ldap/entry.h"
#include "ldap/escape.h"
#include "ldap/in_chain.h"
#include "ldap/primary_group.h"
#include "ldap/sid.h"

namespace rosterd::daemon {
namespace {

nlohmann::json groupJson(const ldap::Entry& g, const std::string& nameAttribute) {
    return {{"name", g.first(nameAttribute).value_or("")}, {"dn", g.dn}};
}

// The groups matching `memberFilter` (a filter on the member attribute) within the group filter.
std::vector<ldap::Entry> groupsMatching(ldap::Directory& dir, const std::string& memberFilter) {
    const auto& c = dir.config();
    ldap::SearchRequest req;
    req.base = c.groupBase;
    req.filter = "(&" + c.groupFilter + memberFilter + ")";
    req.attributes = {c.groupNameAttribute};
    req.baseMustExist = true;
    return dir.searchAll(req);
}

std::vector<ldap::Entry> groupsWithMember(ldap::Directory& dir, const std::string& member) {
    return groupsMatching(dir, ldap::equalityFilter(dir.config().groupMemberAttribute, member));
}

/// The user's Active Directory primary group (named by primaryGroupID, never in `member`), when
/// the group base holds it.
std::vector<ldap::Entry> primaryGroupOf(ldap::Directory& dir, const ldap::Entry& user) {
    const auto& c = dir.config();
    if (c.serverType != ldap::ServerType::ActiveDirectory) return {};
    std::string primary = ldap::primaryGroupFilter(user);
    if (primary.empty()) return {};
    ldap::SearchRequest req;
    req.base = c.groupBase;
    req.filter = "(&" + c.groupFilter + primary + ")";
    req.attributes = {c.groupNameAttribute};
    return dir.searchAll(req);
}

/// Direct groups of the entry (its AD primary group among them, as sync counts it), then (for
/// DN-valued membership) the groups those groups are in.
nlohmann::json groupsOf(ldap::Directory& dir, const sync::SyncConfig& sync, const ldap::Entry& user,
                        const std::string& username) {
    const auto& c = dir.config();
    nlohmann::json out = {{"direct", nlohmann::json::array()}, {"nested", nlohmann::json::array()}};
    if (c.groupBase.empty()) return out;
    const bool byName = ldap::membersByName(c);
    std::set<std::string> seen;
    std::vector<std::string> frontier;
    for (const auto& g : groupsWithMember(dir, byName ? username : user.dn)) {
        out["direct"].push_back(groupJson(g, c.groupNameAttribute));
        if (seen.insert(g.dn).second) frontier.push_back(g.dn);
    }
    for (const auto& g : primaryGroupOf(dir, user)) {
        if (!seen.insert(g.dn).second) continue;
        auto j = groupJson(g, c.groupNameAttribute);
        j["primary"] = true;
        out["direct"].push_back(j);
        // With nested_groups = server the directory's chain rule skips the primary group, and so
        // do sync and sign-in: the groups holding it are not the user's.
        if (!sync.nestedGroupsByServer) frontier.push_back(g.dn);
    }
    if (byName || !sync.nestedGroups) return out;
    if (sync.nestedGroupsByServer) {
        // One search with the chain rule, as sign-in and sync ask it: every depth, but the
        // directory does not say through which group.
        for (const auto& g : groupsMatching(dir, ldap::inChainFilter(c.groupMemberAttribute, user.dn)))
            if (seen.insert(g.dn).second) out["nested"].push_back(groupJson(g, c.groupNameAttribute));
        return out;
    }
    for (std::size_t depth = 0; depth < kMaxGroupNesting && !frontier.empty(); ++depth) {
        std::vector<std::string> next;
        for (const auto& inner : frontier)
            for (const auto& g : groupsWithMember(dir, inner)) {
                if (!seen.insert(g.dn).second) continue;
                auto j = groupJson(g, c.groupNameAttribute);
                j["via"] = inner;
                out["nested"].push_back(j);
                next.push_back(g.dn);
            }
        frontier = std::move(next);
    }
    return out;
}

}  // namespace

nlohmann::json lookupDirectoryUser(ldap::Directory& dir, const sync::SyncConfig& sync, db::Store& store,
                                   const std::string& name) {
    const auto& c = dir.config();
    ldap::SearchRequest req;
    req.base = c.userBase;
    req.filter = "(&" + c.userFilter + ldap::equalityFilter(c.usernameAttribute, name) + ")";
    req.attributes = {c.usernameAttribute, c.mailAttribute, c.nameAttribute, c.idAttribute};
    if (c.serverType == ldap::ServerType::ActiveDirectory)
        req.attributes.insert(req.attributes.end(), {ldap::kObjectSid, ldap::kPrimaryGroupId});
    req.baseMustExist = true;
    auto entries = dir.searchAll(req);
    nlohmann::json r = {{"query", name},
                        {"filter", req.filter},
                        {"base", c.userBase},
                        {"entries_matched", entries.size()},
                        {"found", entries.size() == 1}};
    nlohmann::json reasons = nlohmann::json::array();
    if (entries.size() != 1) {
        reasons.push_back(entries.empty() ? "no entry under " + c.userBase + " matches " + req.filter +
                                                " (check the name, [ldap] user_filter and username_attribute)"
                                          : std::to_string(entries.size()) + " entries match " + req.filter +
                                                "; a login needs exactly one");
        r["can_sign_in"] = false;
        r["reasons"] = reasons;
        return r;
    }
    const ldap::Entry& e = entries.front();
    std::string id = ldap::stableId(e, c.idAttribute);
    auto mail = e.first(c.mailAttribute);
    std::string username = e.first(c.usernameAttribute).value_or(name);
    r["dn"] = e.dn;
    r["fields"] = {{"username", username},
                   {"email", mail.value_or("")},
                   {"name", e.first(c.nameAttribute).value_or(username)},
                   {"id", id}};
    r["mapping"] = {{"username", c.usernameAttribute},
                    {"email", c.mailAttribute},
                    {"name", c.nameAttribute},
                    {"id", c.idAttribute}};
    if (id.empty()) reasons.push_back("the entry has no '" + c.idAttribute + "' attribute ([ldap] id_attribute)");
    if (!mail || mail->empty())
        reasons.push_back("the entry has no '" + c.mailAttribute +
                          "' attribute ([ldap] mail_attribute); an email is required");
    r["groups"] = groupsOf(dir, sync, e, username);
    // The group mapping ([ldap] admin_groups ... denied_groups), decided as sync and login decide it.
    std::vector<std::string> memberOf;
    for (const auto& g : r["groups"]["direct"]) memberOf.push_back(g["name"].get<std::string>());
    if (sync.directoryPolicy.nestedGroups)
        for (const auto& g : r["groups"]["nested"]) memberOf.push_back(g["name"].get<std::string>());
    accounts::DirectoryDecision decision = accounts::decideDirectoryPolicy(sync.directoryPolicy, memberOf);
    if (decision.refusal) reasons.push_back(*decision.refusal);

    std::optional<accounts::User> account;
    std::optional<accounts::User> sameEmail;
    store.transact(
        [&](db::Transaction& tx) {
            if (!id.empty()) account = accounts::user_store::findByExternalId(tx, id);
            if (mail && !mail->empty()) sameEmail = accounts::user_store::findByEmail(tx, *mail);
        },
        db::TxMode::Read);
    if (!account && sameEmail && sameEmail->source == accounts::Source::Ldap) account = sameEmail;
    if (account) {
        r["account"] = {{"id", account->id},
                        {"email", account->email},
                        {"role", std::string(accounts::roleName(account->role))},
                        {"source", std::string(accounts::sourceName(account->source))},
                        {"active", account->active},
                        {"primary", account->isPrimary}};
        r["role"] = decision.role.value_or(std::string(accounts::roleName(account->role)));
        if (!account->active) reasons.push_back("the account " + account->id + " is deactivated");
        if (account->role == accounts::Role::Pending)
            reasons.push_back("the account is pending: an admin must give it a role");
    } else {
        r["account"] = nullptr;
        r["role"] = decision.role.value_or(sync.userRole);  // what a sync or a first login creates it with
        if (sameEmail && !sync.linkLocalAccounts)
            reasons.push_back("a local account has the email " + sameEmail->email +
                              " and [ldap] link_local_accounts = none");
    }
    r["role_reason"] = decision.role ? decision.roleReason
                       : account     ? std::string("set in rosterd (roles are not mapped from groups)")
                                     : "[sync] user_role";
    r["can_sign_in"] = reasons.empty();
    r["reasons"] = reasons;
    return r;
}

std::string lookupText(const nlohmann::json& r) {
    std::string out;
    auto line = [&out](const std::string& k, const std::string& v) { out += k + ": " + v + "\n"; };
    if (!r.value("found", false)) {
        line("found", "no");
    } else {
        line("dn", r["dn"].get<std::string>());
        for (const auto& [k, v] : r["fields"].items())
            line(k, v.get<std::string>() + " (" + r["mapping"][k].get<std::string>() + ")");
        for (const char* kind : {"direct", "nested"}) {
            std::string names;
            for (const auto& g : r["groups"][kind])
                names += (names.empty() ? "" : ", ") + g["name"].get<std::string>() +
                         (g.value("primary", false) ? " (primary group)" : "");
            line(std::string("groups (") + kind + ")", names.empty() ? "-" : names);
        }
        line("account", r["account"].is_null() ? "none yet (created by the next sync or first login)"
                                               : r["account"]["id"].get<std::string>() +
                                                     (r["account"]["active"].get<bool>() ? "" : " (deactivated)"));
        line("role", r["role"].get<std::string>() + " (" + r["role_reason"].get<std::string>() + ")");
    }
    line("can sign in", r["can_sign_in"].get<bool>() ? "yes" : "no");
    for (const auto& reason : r["reasons"]) out += "  because " + reason.get<std::string>() + "\n";
    return out;
}

}  // namespace rosterd::daemon
