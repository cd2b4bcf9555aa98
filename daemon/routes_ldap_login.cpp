// POST /api/v1/auths/ldap: "log in with your company account".
#include "daemon/routes_ldap_login.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include "common/errors.h"
#include "common/log_safe.h"
#include "daemon/json_fields.h"
#include "daemon/session_response.h"
#include "ldap/escape.h"
#include "ldap/ldap_error.h"

namespace rosterd::daemon {
namespace {

// One answer for every refusal, so the response never tells whether the user exists.
const char* const kBadCredentials = "The username or password provided is incorrect.";

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

/// Finds and verifies the person; throws InvalidInput (generic) on any refusal.
accounts::DirectoryAccount authenticate(ldap::Directory& directory, accounts::AccountService& accounts,
                                        const std::string& user, const std::string& password,
                                        const std::string& clientAddress) {
    const auto& c = directory.config();
    auto refuse = [&](const std::string& reason) {
        spdlog::info("ldap login of '{}' from {} refused: {}", logSafe(user), clientAddress, logSafe(reason));
        accounts.recordSigninFailure(user, clientAddress, "ldap");
        throw InvalidInput(kBadCredentials);
    };
    ldap::SearchRequest req;
    req.base = c.userBase;
    req.filter = "(&" + c.userFilter + ldap::equalityFilter(c.usernameAttribute, user) + ")";
    req.attributes = {c.usernameAttribute, c.mailAttribute, c.nameAttribute, c.idAttribute};
    auto entries = directory.searchAll(req);
    if (entries.empty()) refuse("no directory entry matches");
    if (entries.size() > 1) refuse(std::to_string(entries.size()) + " directory entries match");
    const ldap::Entry& e = entries.front();
    if (!directory.checkPassword(e.dn, password)) refuse("the directory refused the bind as " + e.dn);

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
    a.username = e.first(c.usernameAttribute).value_or(user);
    a.name = e.first(c.nameAttribute).value_or(a.username);
    if (c.groupSyncOnLogin) a.groups = groupsOf(directory, e, a.username);
    return a;
}

}  // namespace

void registerLdapLoginRoute(Router& router, DirectoryAccess& access, accounts::AccountService& accounts,
                            const Clock& clock) {
    router.add("POST", "/api/v1/auths/ldap", [&](HttpRequest& req) {
        // Taken once: the whole request uses one directory and policy, and a reload meanwhile
        // leaves them alive (shared ownership) until the request is done.
        const DirectoryBinding binding = access.current();
        if (!binding.directory || !binding.login)
            throw Unavailable("The directory is not configured on this server; try again later");
        ldap::Directory& directory = *binding.directory;
        accounts::DirectoryLogin& login = *binding.login;
        auto body = req.json();
        std::string user = requireString(body, "user");
        std::string password = requireString(body, "password");
        // An empty password is an unauthenticated bind, which directories report as success.
        if (password.empty()) throw InvalidInput("field 'password' must not be empty");
        if (user.empty()) throw InvalidInput("field 'user' must not be empty");
        accounts.checkSigninAllowed(user, req.clientAddress);
        accounts::DirectoryAccount account;
        try {
            account = authenticate(directory, accounts, user, password, req.clientAddress);
        } catch (const ldap::Unreachable& e) {
            spdlog::error("ldap login of '{}': {}", logSafe(user), e.what());
            throw Unavailable("The directory cannot be reached; try again later");
        } catch (const LdapError& e) {
            spdlog::error("ldap login of '{}': {}", logSafe(user), e.what());
            throw Unavailable(std::string("The directory failed to answer: ") + e.what());
        }
        accounts.recordSigninSuccess(user, "ldap");
        auto session = login.complete(account);
        return sessionResponse(session, req, accounts.config(), clock.nowSeconds());
    });
}

}  // namespace rosterd::daemon
