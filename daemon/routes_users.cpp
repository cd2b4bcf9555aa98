// /api/v1/users/*: admin user management, search for pickers, permissions.
#include "common/errors.h"
#include "daemon/json_fields.h"
#include "daemon/routes_accounts.h"
#include "daemon/webui_user.h"

namespace rosterd::daemon {

namespace {
constexpr std::size_t kPageSize = 30;  // as Open WebUI

std::size_t pageNumber(const HttpRequest& req) {
    auto p = req.queryParam("page");
    if (!p || p->empty()) return 1;
    std::size_t pos = 0;
    long n = 0;
    try {
        n = std::stol(*p, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos != p->size() || n < 1) throw InvalidInput("page must be a whole number from 1");
    return static_cast<std::size_t>(n);
}

accounts::UserQuery queryFrom(const HttpRequest& req) {
    accounts::UserQuery q;
    q.text = req.queryParam("query").value_or("");
    q.orderBy = req.queryParam("order_by").value_or("created_at");
    // Open WebUI sorts by columns rosterd does not keep (oauth_sub) in its default order instead of refusing.
    if (q.orderBy == "oauth_sub") q.orderBy = "created_at";
    static const char* const allowed[] = {"name", "email", "role", "created_at", "last_active_at"};
    bool ok = false;
    for (const char* a : allowed) ok = ok || q.orderBy == a;
    if (!ok) throw InvalidInput("order_by must be one of name, email, role, created_at, last_active_at");
    std::string dir = req.queryParam("direction").value_or("asc");
    if (dir != "asc" && dir != "desc") throw InvalidInput("direction must be asc or desc");
    q.descending = dir == "desc";
    if (auto g = req.queryParam("group_id"); g && !g->empty()) q.groupId = *g;
    return q;
}

nlohmann::json usersJson(const accounts::UserPage& page, const std::vector<std::vector<std::string>>& groups) {
    nlohmann::json users = nlohmann::json::array();
    for (std::size_t i = 0; i < page.users.size(); ++i) {
        auto j = webuiUserJson(page.users[i]);
        j["group_ids"] = groups[i];
        users.push_back(j);
    }
    return {{"users", users}, {"total", page.total}};
}
}  // namespace

void registerUserRoutes(Router& router, accounts::AccountService& accounts, AccountsAuth& auth) {
    router.add("GET", "/api/v1/users/", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        auto q = queryFrom(req);
        q.limit = kPageSize;
        q.offset = (pageNumber(req) - 1) * kPageSize;
        std::vector<std::vector<std::string>> groups;
        auto page = accounts.listUsers(q, &groups);
        return HttpResponse::json(usersJson(page, groups));
    });
    router.add("GET", "/api/v1/users/all", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        accounts::UserQuery q;
        q.limit = 0;
        std::vector<std::vector<std::string>> groups;
        auto page = accounts.listUsers(q, &groups);
        return HttpResponse::json(usersJson(page, groups));
    });
    router.add("GET", "/api/v1/users/search", [&](HttpRequest& req) {
        auth.caller(req, Access::User);
        accounts::UserQuery q;
        q.text = req.queryParam("query").value_or("");
        q.orderBy = "name";
        q.limit = kPageSize;
        auto page = accounts.listUsers(q);
        nlohmann::json users = nlohmann::json::array();
        for (const auto& u : page.users) users.push_back({{"id", u.id}, {"name", u.name}});
        return HttpResponse::json({{"users", users}, {"total", page.total}});
    });
    Handler createUser = [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Admin);
        auto body = req.json();
        auto u = accounts.addUser(caller, requireString(body, "name"), requireString(body, "email"),
                                  requireString(body, "password"), optionalString(body, "role").value_or("pending"));
        return HttpResponse::json(accounts::userJson(u));
    };
    router.add("POST", "/api/v1/users/create", createUser);
    // Open WebUI's older name for the same thing; it answers a SigninResponse: the new user with a token.
    router.add("POST", "/api/v1/auths/add", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Admin);
        auto body = req.json();
        auto u = accounts.addUser(caller, requireString(body, "name"), requireString(body, "email"),
                                  requireString(body, "password"), optionalString(body, "role").value_or("pending"));
        return HttpResponse::json(accounts::sessionJson(accounts.startSession(u)));
    });
    router.add("GET", "/api/v1/users/permissions", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Self);
        return HttpResponse::json(accounts.effectivePermissions(caller.user));
    });
    router.add("GET", "/api/v1/users/default/permissions", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        return HttpResponse::json(accounts.defaultPermissions());
    });
    router.add("POST", "/api/v1/users/default/permissions", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        auto body = req.json();
        accounts.setDefaultPermissions(body);
        return HttpResponse::json(accounts.defaultPermissions());
    });
    router.add("GET", "/api/v1/users/{id}", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::User);
        auto u = accounts.getUser(req.param("id"));
        nlohmann::json j = accounts::publicUserJson(u);
        if (caller.user.role == accounts::Role::Admin) {
            j["email"] = u.email;
            j["role"] = accounts::roleName(u.role);
        }
        return HttpResponse::json(j);
    });
    router.add("POST", "/api/v1/users/{id}/update", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Admin);
        auto body = req.json();
        accounts::UserChanges c;
        c.name = optionalString(body, "name");
        c.email = optionalString(body, "email");
        c.role = optionalString(body, "role");
        c.profileImageUrl = optionalString(body, "profile_image_url");
        c.password = optionalString(body, "password");
        return HttpResponse::json(webuiUserJson(accounts.updateUser(caller, req.param("id"), c)));
    });
    router.add("DELETE", "/api/v1/users/{id}", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Admin);
        accounts.deleteUser(caller, req.param("id"));
        return HttpResponse::json(true);
    });
}

}  // namespace rosterd::daemon
