// /api/v1/sync/*: run a directory sync on demand and report its state.
#include "daemon/routes_sync.h"

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "common/log_safe.h"
#include "sync/role_mapping.h"
#include "sync/run_plan.h"

namespace rosterd::daemon {
namespace {

bool boolField(const nlohmann::json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return false;
    if (!it->is_boolean()) throw InvalidInput(std::string("field '") + field + "' must be true or false");
    return it->get<bool>();
}

/// A whole-number query parameter from `min` to `max`, `fallback` when absent.
std::size_t countParam(const HttpRequest& req, const char* name, std::size_t fallback, std::size_t min,
                       std::size_t max) {
    auto v = req.queryParam(name);
    if (!v) return fallback;
    try {
        std::size_t pos = 0;
        const long long n = std::stoll(*v, &pos);
        if (pos != v->size() || n < static_cast<long long>(min) || n > static_cast<long long>(max))
            throw std::invalid_argument("range");
        return static_cast<std::size_t>(n);
    } catch (const std::exception&) {
        throw InvalidInput(std::string("query parameter '") + name + "' must be a number from " + std::to_string(min) +
                           " to " + std::to_string(max));
    }
}

struct PageRequest {
    std::size_t offset, limit;
};

PageRequest planPage(const HttpRequest& req) {
    return {countParam(req, "offset", 0, 0, static_cast<std::size_t>(INT64_MAX)),
            countParam(req, "limit", sync::kDefaultPlanPage, 1, sync::kMaxPlanPage)};
}

}  // namespace

void registerSyncRoutes(Router& router, sync::SyncService& service, RequestAuth& auth) {
    router.add("POST", "/api/v1/sync/run", [&](HttpRequest& req) {
        Principal admin = auth.requireAdmin(req);
        const PageRequest page = planPage(req);  // checked before the run, which may take long
        sync::RunRequest run;
        run.trigger = "api";
        if (!req.body.empty()) {
            nlohmann::json body = req.json();
            for (const auto& [key, value] : body.items())
                if (key != "dry_run" && key != "force" && key != "full")
                    throw InvalidInput("unknown field '" + key + "'");
            run.dryRun = boolField(body, "dry_run");
            run.force = boolField(body, "force");
            run.full = boolField(body, "full");
        }
        spdlog::info("sync requested by {} (dry_run={}, force={}, full={})", logSafe(admin.email), run.dryRun,
                     run.force, run.full);
        sync::RunOutcome out = service.run(run);
        if (out.status == sync::RunStatus::Busy) {
            HttpResponse r = HttpResponse::error(409, "another sync is running");
            r.body["status"] = "busy";
            return r;
        }
        nlohmann::json body = out.record.id.empty() ? nlohmann::json::object() : out.record.toJson();
        // Who the directory policy promotes, demotes, refuses or lets in again (a dry run's preview too).
        if (out.plan &&
            (!out.plan->roleChanges.empty() || !out.plan->accessDenials.empty() || !out.plan->accessRestores.empty()))
            body["directory_policy"] = sync::policyChangesJson(*out.plan);
        // A dry run's or a refused run's whole plan, paged; the other pages: GET .../runs/{id}/plan.
        if (out.changes) {
            nlohmann::json changes = nlohmann::json::array();
            for (std::size_t i = page.offset; i < out.changes->size() && i < page.offset + page.limit; ++i)
                changes.push_back(std::move((*out.changes)[i]));
            body["plan"] = {{"total", out.changes->size()},
                            {"offset", page.offset},
                            {"limit", page.limit},
                            {"url", "/api/v1/sync/runs/" + out.record.id + "/plan"},
                            {"changes", std::move(changes)}};
        }
        if (out.status == sync::RunStatus::Succeeded) return HttpResponse::json(body);
        // refused: the gate said no (409); failed: the directory or the store did (502).
        HttpResponse r = HttpResponse::error(out.status == sync::RunStatus::Refused ? 409 : 502, out.error);
        for (auto& [k, v] : body.items())
            if (k != "detail") r.body[k] = v;
        r.body["status"] = sync::runStatusName(out.status);
        return r;
    });
    router.add("GET", "/api/v1/sync/runs/{id}/plan", [&](HttpRequest& req) {
        auth.requireAdmin(req);
        const PageRequest page = planPage(req);
        auto plan = sync::runPlanPage(service.store(), req.param("id"), page.offset, page.limit);
        if (!plan)
            throw NotFound("sync run " + logSafe(req.param("id")) +
                           " kept no plan (only dry runs and refused runs keep theirs, for the last "
                           "[sync] history_kept runs)");
        return HttpResponse::json(*plan);
    });
    router.add("GET", "/api/v1/sync/status", [&](HttpRequest& req) {
        auth.requireAdmin(req);
        std::size_t limit = 20;
        if (auto l = req.queryParam("limit")) {
            try {
                std::size_t pos = 0;
                long v = std::stol(*l, &pos);
                if (pos != l->size() || v < 1 || v > 1000) throw std::invalid_argument("range");
                limit = static_cast<std::size_t>(v);
            } catch (const std::exception&) {
                throw InvalidInput("query parameter 'limit' must be a number from 1 to 1000");
            }
        }
        return HttpResponse::json(service.status(limit));
    });
}

}  // namespace rosterd::daemon
