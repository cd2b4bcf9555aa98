#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/routes_sync.h"
#include "daemon/sync_status.h"
#include "sync/ldap_source.h"

namespace rosterd::daemon {
namespace {

std::string seconds(std::chrono::milliseconds ms) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(ms).count()) + " s";
}

/// The settings that differ, as "sync.key" names, for the reload log line.
std::vector<std::string> changedKeys(const sync::SyncConfig& a, const sync::SyncConfig& b) {
    std::vector<std::string> keys;
    auto note = [&](bool differs, const char* key) {
        if (differs) keys.emplace_back(key);
    };
    note(a.interval != b.interval, "sync.interval");
    note(a.mode != b.mode, "sync.mode");
    note(a.fullEvery != b.fullEvery, "sync.full_every");
    // true and server both turn nestedGroups on: the switch between them is a change too.
    note(a.nestedGroups != b.nestedGroups || a.nestedGroupsByServer != b.nestedGroupsByServer, "sync.nested_groups");
    note(a.deleteAfter != b.deleteAfter, "sync.delete_after");
    note(a.maxDeactivations != b.maxDeactivations, "sync.max_deactivations");
    note(a.maxDeactivationPercent != b.maxDeactivationPercent, "sync.max_deactivation_percent");
    note(a.maxGroupDeletions != b.maxGroupDeletions, "sync.max_group_deletions");
    note(a.batchSize != b.batchSize, "sync.batch_size");
    note(a.userRole != b.userRole, "sync.user_role");
    note(a.linkLocalAccounts != b.linkLocalAccounts, "ldap.link_local_accounts");
    note(a.historyKept != b.historyKept, "sync.history_kept");
    note(a.directoryPolicy.groupNames() != b.directoryPolicy.groupNames() ||
             a.directoryPolicy.roleRule() != b.directoryPolicy.roleRule() ||
             a.directoryPolicy.allowedGroups != b.directoryPolicy.allowedGroups,
         "ldap.admin_groups/user_groups/allowed_groups/denied_groups");
    return keys;
}

}  // namespace

sync::SyncConfig App::syncSettings(const Config& config) {
    sync::SyncConfig sc = config.sync;
    // Sync and the login route read the same [ldap] link_local_accounts, also after a reload.
    sc.linkLocalAccounts = config.ldap.linkLocalAccounts == ldap::LinkLocalAccounts::Email;
    return sc;
}

void App::wireSync() {
    sync::SyncConfig sc = syncSettings(*config());
    sync::SourceFactory sources = [this]() -> std::unique_ptr<sync::DirectorySource> {
        // Each run reads through the directory current when it starts (a reload may swap it).
        auto directory = directoryAccess_.current().directory;
        if (!directory) throw Unavailable("no directory is configured (ldap.enabled = false)");
        auto source = std::make_unique<sync::LdapSource>(std::move(directory), clock_);
        source->resolveNestingOnServer(config()->sync.nestedGroupsByServer);
        return source;
    };
    sync_ = std::make_unique<sync::SyncService>(*store_, outbox_, metrics_, clock_, sc, std::move(sources));
    sync_->setRunListener([this](const sync::RunOutcome& outcome) {
        notifier_.setStatus("sync", syncStatusLine(outcome, clock_.nowMillis()));
    });
    registerSyncRoutes(router_, *sync_, *auth_);
    // A run a killed process (or a lost store) left `running` is recorded as interrupted now.
    sync_->recoverInterrupted();
    // With a directory there is always a scheduler, paused while the interval is 0, so a reload
    // can switch scheduled runs on (the first one is then due at once) or off.
    if (directory()) syncScheduler_ = std::make_unique<sync::SyncScheduler>(*sync_, clock_, sc.interval);
    onReload({"sync", [](const Config& next) { validateSync(next.sync); },
              [this](const Config& next, const Config&) {
                  sync::SyncConfig nextSettings = syncSettings(next);
                  auto changed = changedKeys(sync_->config(), nextSettings);
                  if (changed.empty()) return;
                  sync_->reconfigure(nextSettings);  // a run under way keeps the settings it started with
                  if (syncScheduler_ && std::find(changed.begin(), changed.end(), "sync.interval") != changed.end()) {
                      syncScheduler_->setInterval(nextSettings.interval);
                      if (nextSettings.interval.count() == 0)
                          spdlog::info("sync: scheduled runs paused (sync.interval = 0)");
                      else
                          spdlog::info("sync: scheduled runs every {}", seconds(nextSettings.interval));
                  }
                  std::string names;
                  for (const auto& k : changed) names += (names.empty() ? "" : ", ") + k;
                  spdlog::info("sync: reloaded, changed {}; max_deactivations = {}, max_deactivation_percent = {}",
                               names, nextSettings.maxDeactivations, nextSettings.maxDeactivationPercent);
              }});
}

}  // namespace rosterd::daemon
