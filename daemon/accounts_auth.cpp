#include "daemon/accounts_auth.h"

#include "common/errors.h"

namespace rosterd::daemon {

std::string AccountsAuth::credentialOf(const HttpRequest& req) {
    if (auto h = req.header("authorization")) {
        const std::string& v = *h;
        if (v.size() > 7 && (v.compare(0, 7, "Bearer ") == 0 || v.compare(0, 7, "bearer ") == 0)) return v.substr(7);
    }
    return req.cookie("token").value_or("");
}

accounts::Caller AccountsAuth::caller(const HttpRequest& req, Access access) {
    accounts::Caller c = accounts_.authenticate(credentialOf(req));
    if (access != Access::Self && c.user.role == accounts::Role::Pending)
        throw PermissionDenied("Your account is pending approval by an administrator");
    if (access == Access::Admin && c.user.role != accounts::Role::Admin)
        throw PermissionDenied("Admin access required");
    return c;
}

Principal AccountsAuth::principal(const accounts::Caller& c) {
    return Principal{c.user.id, c.user.email, c.user.name, std::string(accounts::roleName(c.user.role))};
}

}  // namespace rosterd::daemon
