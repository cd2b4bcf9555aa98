#pragma once
// RequestAuth over accounts: bearer token / API key / `token` cookie -> caller, with access levels.
#include "accounts/account_service.h"
#include "daemon/request_auth.h"

namespace rosterd::daemon {

enum class Access { Self, User, Admin };

class AccountsAuth final : public RequestAuth {
public:
    explicit AccountsAuth(accounts::AccountService& accounts) : accounts_(accounts) {}
    /// The caller at the given access level; throws Unauthenticated (401) / PermissionDenied (403).
    accounts::Caller caller(const HttpRequest& req, Access access);
    Principal requireSelf(const HttpRequest& req) override { return principal(caller(req, Access::Self)); }
    Principal requireUser(const HttpRequest& req) override { return principal(caller(req, Access::User)); }
    Principal requireAdmin(const HttpRequest& req) override { return principal(caller(req, Access::Admin)); }

    /// The credential a request carries: "Authorization: Bearer X", else the `token` cookie.
    static std::string credentialOf(const HttpRequest& req);

private:
    static Principal principal(const accounts::Caller& c);
    accounts::AccountService& accounts_;
};

}  // namespace rosterd::daemon
