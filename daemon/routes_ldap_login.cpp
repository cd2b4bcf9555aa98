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
        // Refused before the directory or the sign-in limiter sees them: the same answer whether or
        // not such a name exists (none can).
        if (user.size() > kMaxLdapLoginNameBytes)
            throw InvalidInput("field 'user' is longer than " + std::to_string(kMaxLdapLoginNameBytes) + " bytes");
        if (password.size() > kMaxLdapPasswordBytes)
            throw InvalidInput("field 'password' is longer than " + std::to_string(kMaxLdapPasswordBytes) + " bytes");
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
