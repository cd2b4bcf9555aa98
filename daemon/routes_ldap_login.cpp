// POST /api/v1/auths/ldap: "log in with your company account".
#include "daemon/routes_ldap_login.h"

#include "common/errors.h"
#include "daemon/json_fields.h"
#include "daemon/ldap_verifier.h"
#include "daemon/session_response.h"

namespace rosterd::daemon {

void registerLdapLoginRoute(Router& router, DirectoryAccess& access, accounts::AccountService& accounts,
                            const Clock& clock) {
    router.add("POST", "/api/v1/auths/ldap", [&](HttpRequest& req) {
        // Taken once: the whole request uses one directory and policy, and a reload meanwhile
        // leaves them alive (shared ownership) until the request is done.
        const DirectoryBinding binding = access.current();
        if (!binding.directory || !binding.login)
            throw Unavailable("The directory is not configured on this server; try again later");
        auto body = req.json();
        std::string user = requireString(body, "user");
        std::string password = requireString(body, "password");
        // An empty password is an unauthenticated bind, which directories report as success.
        if (password.empty()) throw InvalidInput("field 'password' must not be empty");
        if (user.empty()) throw InvalidInput("field 'user' must not be empty");
        // The directory policy decides from the user's groups, read afresh at every login.
        const auto& policy = binding.login->directoryPolicy();
        LdapVerifier verifier(*binding.directory, {.groups = policy.any(),
                                                   .nesting = groupNestingOf(policy),
                                                   .nestingCache = binding.nesting.get(),
                                                   .loginDns = binding.loginDns.get()});
        auto session = binding.login->signIn(verifier, user, password, req.clientAddress);
        return sessionResponse(session, req, accounts.config(), clock.nowSeconds());
    });
}

}  // namespace rosterd::daemon
