// Open WebUI's group read routes beside rosterd's own: a group's info for any user who may see it,
// its export (with member ids) and its members as users, for the admin pages.
#include <algorithm>

#include "common/errors.h"
#include "daemon/routes_accounts.h"
#include "daemon/webui_user.h"

namespace rosterd::daemon {

void registerGroupInfoRoutes(Router& router, accounts::AccountService& accounts, accounts::GroupService& groups,
                             AccountsAuth& auth) {
    router.add("GET", "/api/v1/groups/id/{id}/info", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::User);
        auto g = groups.get(req.param("id"));
        bool member = std::find(g.userIds.begin(), g.userIds.end(), caller.user.id) != g.userIds.end();
        if (caller.user.role != accounts::Role::Admin && !member) throw NotFound("group not found");  // as if absent
        return HttpResponse::json({{"id", g.id},
                                   {"name", g.name},
                                   {"description", g.description},
                                   {"member_count", g.userIds.size()},
                                   {"created_at", g.createdAt},
                                   {"updated_at", g.updatedAt}});
    });
    router.add("GET", "/api/v1/groups/id/{id}/export", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        return HttpResponse::json(accounts::groupJson(groups.get(req.param("id"))));
    });
    Handler members = [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        auto g = groups.get(req.param("id"));  // NotFound for an unknown group
        accounts::UserQuery q;
        q.groupId = g.id;
        q.orderBy = "name";
        q.limit = 0;
        nlohmann::json out = nlohmann::json::array();
        for (const auto& u : accounts.listUsers(q).users) out.push_back(webuiUserJson(u));
        return HttpResponse::json(out);
    };
    router.add("GET", "/api/v1/groups/id/{id}/users", members);
    router.add("POST", "/api/v1/groups/id/{id}/users", members);  // Open WebUI's method
}

}  // namespace rosterd::daemon
