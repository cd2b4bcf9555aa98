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

void printPlan(const sync::Plan& p) {
    for (const auto& [kind, n] : p.counts()) std::cout << kind << ": " << n << "\n";
    std::cout << "skipped: " << p.skipped.size() << "\n";
    listFirst("users created", p.userCreates, [](const auto& w) { return w.user.email + "  " + w.user.dn; });
    listFirst("users updated", p.userUpdates, [](const auto& w) { return w.user.email + "  [" + joined(w.changed) + "]"; });
    listFirst("users linked", p.userLinks, [](const auto& w) { return w.user.email + "  " + w.user.dn; });
    listFirst("users deactivated", p.userDeactivations, [](const auto& r) { return r.email; });
    listFirst("users deleted", p.userDeletes, [](const auto& r) { return r.email; });
    listFirst("groups created", p.groupCreates, [](const auto& g) { return g.name + "  " + g.dn; });
    listFirst("groups updated", p.groupUpdates, [](const auto& g) { return g.name + "  [" + joined(g.changed) + "]"; });
    listFirst("groups deleted", p.groupDeletes, [](const auto& g) { return g.name; });
    listFirst("members added", p.memberAdds, [&](const auto& m) { return "group " + p.groupIds[m.first] + " + user " + p.userIds[m.second]; });
    listFirst("members removed", p.memberRemoves, [&](const auto& m) { return "group " + p.groupIds[m.first] + " - user " + p.userIds[m.second]; });
    listFirst("skipped", p.skipped, [](const auto& s) { return s.kind + " " + s.dn + ": " + s.reason; });
}

}  // namespace

int runSync(CliContext& ctx) {
    sync::RunRequest req;
    req.trigger = "cli";
    for (const auto& a : ctx.args) {
        if (a == "--dry-run") req.dryRun = true;
        else if (a == "--force") req.force = true;
        else if (a == "--full") req.full = true;
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
    if (out.plan) {
        printPlan(*out.plan);
    } else if (!out.record.counts.empty()) {
        // A run that failed before its plan may still have changed something (a first sync's
        // users created while it read).
        for (const auto& [kind, n] : out.record.counts.items()) std::cout << kind << ": " << n << "\n";
    }
    if (out.record.finishedAt)
        std::printf("run duration: %.3f s\n", static_cast<double>(*out.record.finishedAt - out.record.startedAt) / 1000.0);
    if (out.status == "succeeded") {
        std::fflush(stdout);
        std::cout << (req.dryRun ? "dry run: nothing was changed\n" : "sync succeeded\n");
        return kExitOk;
    }
    std::cerr << "rosterd sync: " << out.status << ": " << out.error << "\n";
    if (out.status == "busy") return kExitUnavailable;
    return kExitFailure;
}

}  // namespace rosterd::daemon
