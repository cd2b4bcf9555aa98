#include <cstdio>
#include <iostream>

#include "common/clock.h"
#include "daemon/app.h"
#include "daemon/cli.h"

namespace rosterd::daemon {
namespace {

constexpr std::size_t kShown = 5;  // changes listed per kind

template <typename V, typename Fn>
void listFirst(const char* title, const V& items, Fn&& describe) {
    if (items.empty()) return;
    std::cout << title << " (" << items.size() << "):\n";
    for (std::size_t i = 0; i < items.size() && i < kShown; ++i) std::cout << "  " << describe(items[i]) << "\n";
    if (items.size() > kShown) std::cout << "  ... and " << items.size() - kShown << " more\n";
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

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

void printPlan(const sync::Plan& p) {
    listFirst("users created", p.userCreates, [](const auto& w) { return w.user.email + "  " + w.user.dn; });
    listFirst("users updated", p.userUpdates,
              [](const auto& w) { return w.user.email + "  [" + joined(w.changed) + "]"; });
    listFirst("users linked", p.userLinks, [](const auto& w) { return w.user.email + "  " + w.user.dn; });
    listFirst("users deactivated", p.userDeactivations, [](const auto& r) { return r.email; });
    listFirst("users deleted", p.userDeletes, [](const auto& r) { return r.email; });
    listFirst("groups created", p.groupCreates, [](const auto& g) { return g.name + "  " + g.dn; });
    listFirst("groups updated", p.groupUpdates, [](const auto& g) { return g.name + "  [" + joined(g.changed) + "]"; });
    listFirst("groups deactivated", p.groupDeactivations, [](const auto& g) { return g.name + "  " + g.dn; });
    listFirst("groups reactivated", p.groupReactivations, [](const auto& g) { return g.name + "  " + g.dn; });
    listFirst("groups deleted", p.groupDeletes, [](const auto& g) { return g.name; });
    listFirst("members added", p.memberAdds,
              [&](const auto& m) { return "group " + p.groupIds[m.first] + " + user " + p.userIds[m.second]; });
    listFirst("members removed", p.memberRemoves,
              [&](const auto& m) { return "group " + p.groupIds[m.first] + " - user " + p.userIds[m.second]; });
    listFirst("skipped", p.skipped, [](const auto& s) { return s.kind + " " + s.dn + ": " + s.reason; });
}

}  // namespace

int runSync(CliContext& ctx) {
    sync::RunRequest req;
    req.trigger = "cli";
    for (const auto& a : ctx.args) {
        if (a == "--dry-run")
            req.dryRun = true;
        else if (a == "--force")
            req.force = true;
        else if (a == "--full")
            req.full = true;
        else {
            std::cerr << "rosterd sync: unknown argument '" << a << "' (expected --dry-run, --force, --full)\n";
            return kExitUsage;
        }
    }
    Config config = ctx.loadConfig();
    setupLogging(config.log.level);
    SystemClock clock;
    App app(std::move(config), clock);
    app.syncService().setEndsWithProcess(true);
    sync::RunOutcome out = app.syncService().run(req);
    // A run that failed before its plan may still have changed something (a first sync's users
    // created while it read): its counts are printed as applied.
    if (!out.record.planned.empty() || !out.record.counts.empty()) printCounts(out.record);
    if (out.plan) printPlan(*out.plan);
    if (out.record.finishedAt)
        std::printf("run duration: %.3f s\n",
                    static_cast<double>(*out.record.finishedAt - out.record.startedAt) / 1000.0);
    if (out.status == sync::RunStatus::Succeeded) {
        std::fflush(stdout);
        std::cout << (req.dryRun ? "dry run: nothing was changed\n" : "sync succeeded\n");
        return kExitOk;
    }
    std::cerr << "rosterd sync: " << sync::runStatusName(out.status) << ": " << out.error << "\n";
    if (out.status == sync::RunStatus::Busy) return kExitUnavailable;
    return kExitFailure;
}

}  // namespace rosterd::daemon
