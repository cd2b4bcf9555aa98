#include <cstdio>
#include <iostream>

#include "common/clock.h"
#include "daemon/app.h"
#include "daemon/cli.h"
#include "db/store.h"
#include "sync/plan_json.h"

namespace rosterd::daemon {
namespace {

constexpr std::size_t kShown = 5;  // changes listed per kind

// Counts per kind, what was applied and what was planned apart: a run that failed mid-apply
// changed less than it planned, and a dry run changed nothing.
void printCounts(const sync::RunRecord& r) {
    auto countIn = [](const nlohmann::json& counts, const std::string& kind) {
        auto it = counts.find(kind);
        return it != counts.end() && it->is_number_integer() ? it->get<long long>() : 0LL;
    };
    const nlohmann::json& kinds = r.planned.empty() ? r.counts : r.planned;
    for (const auto& [kind, value] : kinds.items()) {
        if (kind == "skipped") continue;
        std::cout << kind << ": ";
        if (r.dryRun)
            std::cout << countIn(r.planned, kind) << " planned\n";
        else if (r.planned.empty())
            std::cout << countIn(r.counts, kind) << " applied (failed before planning)\n";
        else
            std::cout << countIn(r.counts, kind) << " applied of " << countIn(r.planned, kind) << " planned\n";
    }
    if (kinds.contains("skipped")) std::cout << "skipped: " << countIn(kinds, "skipped") << "\n";
}

std::string text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); }

/// One line for a change as planChangesJson renders it: who or what, then why.
std::string describe(const nlohmann::json& c) {
    std::string who;
    if (c.contains("group")) who = "group " + text(c["group"]["name"]);
    if (c.contains("user")) {
        const auto& u = c["user"];
        std::string user = text(u["email"]);
        if (u.contains("username") && u["username"].is_string() && !u["username"].get<std::string>().empty())
            user += " (" + u["username"].get<std::string>() + ")";
        who += (who.empty() ? "" : (c["kind"] == "members_removed" ? " - " : " + ")) + user;
    }
    if (c.contains("from") && c.contains("to")) who += "  " + text(c["from"]) + " -> " + text(c["to"]);
    return who + "  [" + text(c["reason"]) + "]";
}

/// The first few changes of each kind (`changes` holds at least those), members named by group
/// and user.
void printPlan(const nlohmann::json& changes, const sync::Plan& p) {
    std::size_t next = 0;
    for (const auto& [kind, count] : p.counts()) {
        if (count == 0) continue;
        std::cout << kind << " (" << count << "):\n";
        std::size_t shown = 0;
        for (; next < changes.size() && changes[next]["kind"] == kind; ++next)
            if (shown < kShown) {
                std::cout << "  " << describe(changes[next]) << "\n";
                ++shown;
            }
        if (count > shown) std::cout << "  ... and " << count - shown << " more\n";
    }
    if (!p.skipped.empty()) std::cout << "skipped (" << p.skipped.size() << "):\n";
    for (std::size_t i = 0; i < p.skipped.size() && i < kShown; ++i)
        std::cout << "  " << p.skipped[i].kind << " " << p.skipped[i].dn << ": " << p.skipped[i].reason << "\n";
    if (p.skipped.size() > kShown) std::cout << "  ... and " << p.skipped.size() - kShown << " more\n";
}

/// Whether the store needs migrating; says so on stderr. A dry run changes nothing, so it stops.
bool storeNeedsMigrating(const Config& config) {
    auto store = db::Store::open(config.database);
    auto pending = store->pendingMigrations();
    if (pending.empty()) return false;
    std::string names;
    for (const auto& m : pending) names += (names.empty() ? "" : ", ") + m;
    std::cerr << "rosterd sync --dry-run: the store needs migrating (" << pending.size() << " pending: " << names
              << "); a dry run changes nothing, so it stops here. Run `rosterd migrate` (or start the daemon), "
                 "then the dry run again.\n";
    return true;
}

}  // namespace

int runSync(CliContext& ctx) {
    sync::RunRequest req;
    req.trigger = "cli";
    bool json = false;
    for (const auto& a : ctx.args) {
        if (a == "--json")
            json = true;
        else if (a == "--dry-run")
            req.dryRun = true;
        else if (a == "--force")
            req.force = true;
        else if (a == "--full")
            req.full = true;
        else {
            std::cerr << "rosterd sync: unknown argument '" << a << "' (expected --dry-run, --force, --full, --json)\n";
            return kExitUsage;
        }
    }
    Config config = ctx.loadConfig();
    // With --json, stdout carries the JSON document alone; the log keeps to warnings.
    setupLogging(json ? "warn" : config.log.level);
    if (req.dryRun && storeNeedsMigrating(config)) return kExitNeedsMigration;
    SystemClock clock;
    App app(std::move(config), clock);
    app.syncService().setEndsWithProcess(true);
    sync::RunOutcome out = app.syncService().run(req);
    if (json) {
        nlohmann::json doc = {{"status", sync::runStatusName(out.status)}};
        if (!out.record.id.empty()) doc["run"] = out.record.toJson();
        if (!out.error.empty()) doc["error"] = out.error;
        if (out.changes) doc["plan"] = {{"total", out.changes->size()}, {"changes", *out.changes}};
        std::cout << doc.dump(2) << "\n";
    } else {
        // A run that failed before its plan may still have changed something (a first sync's
        // users created while it read): its counts are printed as applied.
        if (!out.record.planned.empty() || !out.record.counts.empty()) printCounts(out.record);
        // A run that applied kept no plan: only what is printed is named.
        if (out.plan)
            printPlan(out.changes ? *out.changes : sync::planChangesJson(app.store(), *out.plan, kShown), *out.plan);
        if (out.record.finishedAt)
            std::printf("run duration: %.3f s\n",
                        static_cast<double>(*out.record.finishedAt - out.record.startedAt) / 1000.0);
    }
    if (out.status == sync::RunStatus::Succeeded) {
        std::fflush(stdout);
        (json ? std::cerr : std::cout) << (req.dryRun ? "dry run: nothing was changed\n" : "sync succeeded\n");
        return kExitOk;
    }
    std::cerr << "rosterd sync: " << sync::runStatusName(out.status) << ": " << out.error << "\n";
    if (out.status == sync::RunStatus::Busy) return kExitUnavailable;
    return kExitFailure;
}

}  // namespace rosterd::daemon
