// /api/v1/groups/*: groups, bulk membership, a user's groups.
#include "accounts/group_service.h"
#include "common/errors.h"
#include "daemon/json_fields.h"
#include "daemon/routes_accounts.h"

namespace rosterd::daemon {

namespace {
nlohmann::json listJson(const std::vector<accounts::Group>& groups) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& g : groups) out.push_back(accounts::groupJson(g));
    return out;
}

std::vector<std::string> userIdsField(const nlohmann::json& body) {
    auto it = body.find("user_ids");
    if (it == body.end() || !it->is_array()) throw InvalidInput("field 'user_ids' must be an array of user ids");
    std::vector<std::string> ids;
    for (const auto& v : *it) {
        if (!v.is_string()) throw InvalidInput("field 'user_ids' must hold strings");
        ids.push_back(v.get<std::string>());
    }
    return ids;
}

std::optional<nlohmann::json> objectField(const nlohmann::json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_object()) throw InvalidInput(std::string("field '") + field + "' must be a JSON object");
    return *it;
}
}  // namespace

void registerGroupRoutes(Router& router, accounts::GroupService& groups, AccountsAuth& auth) {
    router.add("GET", "/api/v1/groups/", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::User);
        if (caller.user.role == accounts::Role::Admin) return HttpResponse::json(listJson(groups.list()));
        return HttpResponse::json(listJson(groups.ofUser(caller.user.id)));
    });
    router.add("POST", "/api/v1/groups/create", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Admin);
        auto body = req.json();
        auto g = groups.create(requireString(body, "name"), optionalString(body, "description").value_or(""),
                               objectField(body, "permissions").value_or(nlohmann::json::object()),
                               objectField(body, "data").value_or(nlohmann::json::object()), caller.user.id,
                               objectField(body, "meta").value_or(nlohmann::json::object()));
        return HttpResponse::json(accounts::groupJson(g));
    });
    router.add("GET", "/api/v1/groups/id/{id}", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        return HttpResponse::json(accounts::groupJson(groups.get(req.param("id"))));
    });
    router.add("POST", "/api/v1/groups/id/{id}/update", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        auto body = req.json();
        accounts::GroupChanges c;
        c.name = optionalString(body, "name");
        c.description = optionalString(body, "description");
        c.permissions = objectField(body, "permissions");
        c.data = objectField(body, "data");
        c.meta = objectField(body, "meta");
        if (body.contains("user_ids") && !body["user_ids"].is_null()) c.userIds = userIdsField(body);
        return HttpResponse::json(accounts::groupJson(groups.update(req.param("id"), c)));
    });
    router.add("DELETE", "/api/v1/groups/id/{id}/delete", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        groups.remove(req.param("id"));
        return HttpResponse::json(true);
    });
    router.add("POST", "/api/v1/groups/id/{id}/users/add", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        auto ids = userIdsField(req.json());
        return HttpResponse::json(accounts::groupJson(groups.addMembers(req.param("id"), ids)));
    });
    router.add("POST", "/api/v1/groups/id/{id}/users/remove", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        auto ids = userIdsField(req.json());
        return HttpResponse::json(accounts::groupJson(groups.removeMembers(req.param("id"), ids)));
    });
    router.add("GET", "/api/v1/groups/users/{user_id}", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Self);
        const std::string& userId = req.param("user_id");
        if (caller.user.role != accounts::Role::Admin && caller.user.id != userId)
            throw PermissionDenied("only admins may list another user's groups");
        return HttpResponse::json(listJson(groups.ofUser(userId)));
    });
}

}  // namespace rosterd::daemon
