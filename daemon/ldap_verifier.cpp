#include "daemon/ldap_verifier.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include "common/errors.h"
#include "ldap/entry.h"
#include "ldap/escape.h"
#include "ldap/ldap_error.h"
#include "common/log_safe.h"

namespace rosterd::daemon {
namespace {

std::vector<accounts::DirectoryGroupRef> groupsOf(ldap::Directory& directory, const ldap::Entry& user,
                                                  const std::string& username) {
    const auto& c = directory.config();
    if (c.groupBase.empty()) return {};
    // memberUid (posixGroup) lists usernames; member/uniqueMember list DNs.
    bool byName = strcasecmp(c.groupMemberAttribute.c_str(), "memberUid") == 0;
    ldap::SearchRequest req;
    req.base = c.groupBase;
    req.filter = "(&" + c.groupFilter + ldap::equalityFilter(c.groupMemberAttribute, byName ? username : user.dn) + ")";
    req.attributes = {c.groupNameAttribute, c.idAttribute};
    std::vector<accounts::DirectoryGroupRef> out;
    for (const auto& g : directory.searchAll(req)) {
        auto name = g.first(c.groupNameAttribute);
        if (!name) continue;
        std::string id = ldap::stableId(g, c.idAttribute);
        out.push_back({id.empty() ? g.dn : id, g.dn, *name});
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

accounts::DirectoryCheck LdapVerifier::verify(const std::string& loginName, const std::string& password) {
    try {
        return verifyOrThrow(loginName, password);
    } catch (const ldap::Unreachable& e) {
        spdlog::error("ldap login of '{}': {}", logSafe(loginName), e.what());
        throw Unavailable("The directory cannot be reached; try again later");
    } catch (const LdapError& e) {
        spdlog::error("ldap login of '{}': {}", logSafe(loginName), e.what());
        throw Unavailable(std::string("The directory failed to answer: ") + e.what());
    }
}

accounts::DirectoryCheck LdapVerifier::verifyOrThrow(const std::string& loginName, const std::string& password) {
    const auto& c = directory_.config();
    ldap::SearchRequest req;
    req.base = c.userBase;
    // Any of the login attributes may carry the name (sAMAccountName, userPrincipalName, mail on AD).
    std::string byName;
    for (const auto& attribute : ldap::loginAttributesOf(c)) byName += ldap::equalityFilter(attribute, loginName);
    req.filter = "(&" + c.userFilter + "(|" + byName + "))";
    req.attributes = {c.usernameAttribute, c.mailAttribute, c.nameAttribute, c.idAttribute};
    auto entries = directory_.searchAll(req);
    if (entries.size() != 1) {
        // The same work as a wrong password: one bind (to an entry that does not exist), so the
        // answer's timing does not tell which names exist.
        directory_.checkPassword(ldap::childDn("cn", "rosterd no such user", c.userBase), password);
        return {std::nullopt,
                entries.empty() ? "no directory entry matches" : std::to_string(entries.size()) + " directory entries match",
                ""};
    }
    const ldap::Entry& e = entries.front();
    if (auto refused = directory_.verifyPassword(e.dn, password)) {
        accounts::DirectoryCheck no{std::nullopt,
                                    "the directory refused the bind as " + e.dn + " (" + ldap::describe(*refused) + ")", ""};
        // Only what the directory says after checking the password reaches the caller.
        if (ldap::passwordWasRight(*refused)) no.clientMessage = refusalMessage(*refused);
        return no;
    }

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
    if (c.groupSyncOnLogin) a.groups = groupsOf(directory_, e, a.username);
    return {std::move(a), "", ""};
}

}  // namespace rosterd::daemon
