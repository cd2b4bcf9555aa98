#pragma once
// Who is calling. Handlers ask for the access level they need; the implementation (tokens, API
// keys, cookies) lives over accounts/ and is wired by App.
#include <string>

#include "daemon/http_types.h"

namespace rosterd::daemon {

struct Principal {
    std::string userId;
    std::string email;
    std::string name;
    std::string role;  ///< pending | user | admin
    bool isAdmin() const { return role == "admin"; }
};

class RequestAuth {
public:
    virtual ~RequestAuth() = default;
    /// Any signed-in user, pending included; throws Unauthenticated (401).
    virtual Principal requireSelf(const HttpRequest& req) = 0;
    /// A signed-in user who is not pending; throws PermissionDenied (403) for pending accounts.
    virtual Principal requireUser(const HttpRequest& req) = 0;
    /// An admin; throws PermissionDenied (403) otherwise.
    virtual Principal requireAdmin(const HttpRequest& req) = 0;
};

}  // namespace rosterd::daemon
