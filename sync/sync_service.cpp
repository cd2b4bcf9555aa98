#include "sync/sync_service.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <future>
#include <optional>
#include <system_error>
#include <thread>

#include "common/errors.h"
#include "common/log_safe.h"
#include "common/random.h"
#include "common/stopwatch.h"
#include "ldap/ldap_error.h"
#include "sync/admin_guard.h"
#include "sync/apply.h"
#include "sync/change_feed_state.h"
#include "sync/creates_as_read.h"
#include "sync/current_index.h"
#include "sync/current_state.h"
#include "sync/incremental.h"
#include "sync/plan_json.h"
#include "sync/role_mapping.h"
#include "sync/run_plan.h"
#include "sync/safety_gate.h"
#include "sync/snapshot.h"
#include "sync/user_matcher.h"

namespace rosterd::sync {
namespace {

constexpr std::size_t kSkippedKept = 100;  // skipped entries stored per run; the count is complete

// The role of users a run creates; the configuration was validated when it was read, and a
// value that is somehow not a role grants nothing.
accounts::Role configuredRole(const SyncConfig& config) {
    return accounts::parseRole(config.userRole).value_or(accounts::Role::Pending);
}

// A failure the run reports as such (recorded with this status rather than "failed").
struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The records of a full run, taken apart on whichever thread calls this. (A thread's callable
// may outlive its body, e.g. inside std::async's shared state, so the body itself must do it.)
struct RunRecords {
    Snapshot snapshot;
    std::unique_ptr<IndexedState> loaded;
    void free() {
        Snapshot gone = std::move(snapshot);
        loaded.reset();
    }
};

// Frees a run's records on a thread of their own that nobody waits for: the process may end
// before it is done, and its exit then takes back what is left at once. They are plain records
// (strings, vectors, hash maps), whose destruction touches nothing else.
void freeUnwaited(RunRecords records) {
    try {
        std::thread([r = std::move(records)]() mutable { r.free(); }).detach();
    } catch (const std::system_error&) {
        // No thread to be had: the records went down with the lambda, here and now.
    }
}

// This process, as a run's holder: pid@host.
std::string thisHolder() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::to_string(::getpid()) + "@" + host;
}

// Whether the process that ran a run is gone. With PostgreSQL the caller holds the advisory lock,
// which a live holder would still hold: always gone. SQLite's lease is per process, so a run of
// another live process on this host (`rosterd sync` beside `rosterd serve`) is left alone.
bool holderGone(db::Driver driver, const std::string& holder) {
    if (driver != db::Driver::Sqlite) return true;
    const std::string self = thisHolder();
    if (holder == self || holder.empty()) return true;
    const auto at = holder.find('@');
    if (at == std::string::npos || holder.substr(at) != self.substr(self.find('@'))) return true;
    try {
        const pid_t pid = static_cast<pid_t>(std::stol(holder.substr(0, at)));
        return !(pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM));
    } catch (const std::exception&) {
        return true;
    }
}

}  // namespace

SyncService::SyncService(db::Store& store, webhooks::Outbox& outbox, Metrics& metrics, const Clock& clock,
                         SyncConfig config, SourceFactory sources)
    : store_(store),
      outbox_(outbox),
      metrics_(metrics),
      clock_(clock),
      config_(std::move(config)),
      sources_(std::move(sources)) {
    metrics_.describe("rosterd_sync_runs_total", "counter", "Directory sync runs by status");
    metrics_.describe("rosterd_sync_duration_seconds", "histogram", "Directory sync run duration");
    metrics_.describe("rosterd_sync_changes_total", "counter", "Changes applied by directory sync, by kind");
    metrics_.describe("rosterd_sync_running", "gauge", "1 while a directory sync runs in this process");
    metrics_.describe("rosterd_sync_progress", "gauge", "Changes of the running sync: planned and applied");
    metrics_.describe("rosterd_sync_last_success_timestamp_seconds", "gauge", "End of the last successful sync");
    metrics_.set("rosterd_sync_running", {}, 0);
}

SyncService::~SyncService() { waitForDisposal(); }

void SyncService::waitForDisposal() {
    std::lock_guard lock(disposalMutex_);
    if (disposal_.valid()) disposal_.get();
}

SyncConfig SyncService::config() const {
    std::lock_guard lock(mutex_);
    return config_;
}

void SyncService::reconfigure(SyncConfig config) {
    std::lock_guard lock(mutex_);
    config_ = std::move(config);
}

void SyncService::setRunListener(std::function<void(const RunOutcome&)> listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
}

void SyncService::setPhase(const std::string& phase) {
    std::lock_guard lock(mutex_);
    phase_ = phase;
}

RunOutcome SyncService::run(const RunRequest& request) {
    RunOutcome outcome;
    std::unique_ptr<db::Lease> lease;
    try {
        lease = store_.tryLease("sync");
    } catch (const std::exception& e) {
        outcome.status = RunStatus::Failed;
        outcome.error = std::string("cannot take the sync lease: ") + e.what();
        spdlog::error("sync: {}", outcome.error);
        metrics_.inc("rosterd_sync_runs_total", {{"status", "failed"}});
        return outcome;
    }
    if (!lease) {
        outcome.status = RunStatus::Busy;
        outcome.error = "another sync is running";
        spdlog::info("sync ({}) not started: another sync is running", request.trigger);
        metrics_.inc("rosterd_sync_runs_total", {{"status", "busy"}});
        return outcome;
    }

    // Holding the lease, no run of ours is under way: a row still `running` belongs to a holder
    // that is gone (a killed process, a lost store, a replica whose lease ended).
    closeInterrupted();

    const SyncConfig cfg = config();
    RunRecord rec;
    rec.id = newUuid();
    rec.trigger = request.trigger;
    rec.mode = "full";
    rec.dryRun = request.dryRun;
    rec.forced = request.force;
    rec.status = RunStatus::Running;
    rec.startedAt = clock_.nowMillis();
    rec.holder = thisHolder();
    const Stopwatch runTime;
    {
        std::lock_guard lock(mutex_);
        currentRun_ = rec.id;
        phase_ = "starting";
    }
    applied_ = 0;
    planned_ = 0;
    metrics_.set("rosterd_sync_running", {}, 1);
    try {
        store_.transact([&](db::Transaction& tx) { insertRun(tx, rec); });
        execute(rec, request, cfg, outcome);
    } catch (const Refused& e) {
        outcome.error = e.what();
        spdlog::warn("sync {} refused: {}", rec.id, e.what());
        // A schedule meets the same refusal every interval until someone acts: it is recorded
        // each time but announced once per distinct plan.
        const bool repeated = request.trigger == "schedule" && repeatsLastRefusal(rec);
        if (repeated)
            spdlog::warn("sync {}: the same plan as the last run refused; sync.failed is not sent again", rec.id);
        record(rec, RunStatus::Refused, outcome.error, !request.dryRun && !repeated, cfg.historyKept);
    } catch (const std::exception& e) {
        outcome.error = e.what();
        spdlog::error("sync {} failed: {}", rec.id, e.what());
        record(rec, RunStatus::Failed, outcome.error, !request.dryRun, cfg.historyKept);
    }
    outcome.status = rec.status;
    outcome.record = rec;
    const double seconds = runTime.seconds();
    metrics_.inc("rosterd_sync_runs_total", {{"status", std::string(runStatusName(rec.status))}});
    metrics_.observe("rosterd_sync_duration_seconds", {}, seconds);
    metrics_.set("rosterd_sync_running", {}, 0);
    if (rec.status == RunStatus::Succeeded && !rec.dryRun)
        metrics_.set("rosterd_sync_last_success_timestamp_seconds", {}, static_cast<double>(clock_.nowSeconds()));
    std::function<void(const RunOutcome&)> listener;
    {
        std::lock_guard lock(mutex_);
        currentRun_.clear();
        phase_ = "idle";
        listener = listener_;
    }
    if (listener) listener(outcome);
    return outcome;
}

void SyncService::execute(RunRecord& rec, const RunRequest& request, const SyncConfig& config, RunOutcome& outcome) {
    Stopwatch step;
    setPhase("reading directory");
    std::unique_ptr<DirectorySource> source = sources_();
    PlanOptions po;
    po.linkLocalAccounts = config.linkLocalAccounts;
    po.nowSeconds = clock_.nowSeconds();
    po.deleteAfterSeconds = std::chrono::duration_cast<std::chrono::seconds>(config.deleteAfter).count();

    IncrementalAttempt attempt;
    if (config.mode == SyncMode::Incremental) attempt = tryIncremental(rec.id, *source, request, config, po);
    std::optional<Plan>& incremental = attempt.plan;
    std::optional<ChangeFeedState>& feed = attempt.feed;

    waitForDisposal();  // one run's records at a time
    Plan plan;
    if (incremental) {
        rec.mode = "incremental";
        plan = std::move(*incremental);
        source.reset();
        spdlog::info("sync {}: read the directory's changes incrementally in {:.3f} s", rec.id, step.lap());
    } else {
        // The store's side loads on another thread while the directory is read: the two wait on
        // different servers, so the run takes about the longer of them rather than their sum.
        // Indexed there too, and each user is matched against it as the user is read, so
        // planning only acts on the answers.
        // A first sync (no directory user stored) creates its users as they are read, which
        // cannot lead to a removal; everything else waits for the whole read. Not when the groups
        // are read after the users: their failure would only show once every user is written.
        std::optional<CreatesAsRead> creates;
        if (!request.dryRun && source->readsSideBySide() && !hasDirectoryUsers(store_)) {
            CreatesAsRead::Options co;
            co.values = {configuredRole(config), clock_.nowSeconds()};
            co.batchSize = config.batchSize;
            co.onProgress = [this](std::size_t queued, std::size_t written) {
                planned_ = queued;
                applied_ = written;
            };
            co.onCommit = [id = rec.id](db::Transaction& tx, std::size_t users) {
                addApplied(tx, id, "users_created", users);
            };
            creates.emplace(store_, outbox_, std::move(co), [] { return newTimeOrderedUuid(); });
        }
        UserMatcher matcher(std::async(std::launch::async, [this] { return loadIndexedState(store_); }),
                            creates ? &*creates : nullptr);
        Snapshot snapshot;
        std::unique_ptr<IndexedState> loaded;
        try {
            // An error or an incomplete read throws here (the load finishes first: the future
            // waits), before anything but those creates is written, so no removal can ever be
            // based on a partial picture of the directory.
            snapshot = readSnapshot(*source, config.nestedGroups && !config.nestedGroupsByServer,
                                    [&](const DirUser& u) { matcher.add(u); });
            source.reset();
            spdlog::info("sync {}: read {} users, {} groups, {} memberships from the directory in {:.3f} s", rec.id,
                         snapshot.users.size(), snapshot.groups.size(), snapshot.membershipCount(), step.lap());
            loaded = matcher.finish(snapshot.users);
            const CurrentState& current = loaded->state;
            spdlog::info(
                "sync {}: loaded {} users, {} groups, {} memberships from the store in {:.3f} s (alongside the read)",
                rec.id, current.users.size(), current.groups.size(), current.memberships.size(), loaded->seconds);

            setPhase("planning");
            const bool createdAsRead = creates && creates->queuedCount() > 0;
            plan = makePlan(
                snapshot, current, *loaded->index, matcher.matches(), po, [] { return newTimeOrderedUuid(); },
                createdAsRead ? creates->takeQueued() : WrittenUsers{});
            plan.skipped.insert(plan.skipped.begin(), snapshot.skipped.begin(), snapshot.skipped.end());
            planDirectoryPolicy(store_, snapshot, *loaded, config.directoryPolicy, plan);
            if (createdAsRead) {
                const Stopwatch wait;  // planned while the last of them were still being written
                creates->finish();
                spdlog::debug("sync {}: {} users created while reading (the last {:.3f} s after planning)", rec.id,
                              creates->written(), wait.seconds());
            }
        } catch (...) {
            // What a first sync wrote before it failed stays; its record says so.
            if (creates) {
                creates->stop();
                if (creates->written() > 0) {
                    rec.counts["users_created"] = creates->written();
                    metrics_.inc("rosterd_sync_changes_total", {{"kind", "users_created"}},
                                 static_cast<double>(creates->written()));
                    spdlog::warn("sync {}: {} users were created before the run failed", rec.id, creates->written());
                }
            }
            throw;
        }
        // Freeing a whole directory's worth of records takes a while: it happens on another
        // thread while the run goes on and after it has ended (waited for by the next run, or
        // by nobody when the process ends with the run).
        RunRecords records{std::move(snapshot), std::move(loaded)};
        if (endsWithProcess_) {
            freeUnwaited(std::move(records));
        } else {
            std::lock_guard lock(disposalMutex_);
            disposal_ = std::async(std::launch::async, [r = std::move(records)]() mutable { r.free(); });
        }
    }

    keepAdminsActive(store_, plan);
    // Planned and applied are kept apart: a run that fails mid-apply reports what it changed.
    for (const auto& [kind, n] : plan.counts()) {
        rec.planned[kind] = n;
        rec.counts[kind] = kind == "users_created" ? plan.userCreatesWritten : 0;
    }
    rec.planned["skipped"] = plan.skipped.size();
    rec.counts["skipped"] = plan.skipped.size();
    // Kept with the run from now on, so a run that never finishes still shows what it meant to do.
    store_.transact([&](db::Transaction& tx) { recordPlanned(tx, rec); });
    for (std::size_t i = 0; i < plan.skipped.size() && i < kSkippedKept; ++i) {
        const auto& s = plan.skipped[i];
        rec.skipped.push_back({{"kind", s.kind}, {"id", s.id}, {"dn", s.dn}, {"reason", s.reason}});
        spdlog::warn("sync {}: skipped {} {}: {}", rec.id, s.kind, logSafe(s.dn), s.reason);
    }
    planned_ = plan.changeCount();
    spdlog::info("sync {}: planned {} changes in {:.3f} s", rec.id, planned_.load(), step.lap());

    std::optional<std::string> refusal = thresholdRefusal(plan, config);
    if (refusal && request.force) {
        spdlog::warn("sync {}: {} (forced)", rec.id, *refusal);
        refusal.reset();
    }
    outcome.plan = std::move(plan);
    if (refusal || request.dryRun) keepPlan(rec, outcome);
    if (refusal) throw Refused(*refusal + ". " + refusalGuidance(rec.id));
    if (request.dryRun) {
        rec.counts = rec.planned;  // a preview: what it would change
        record(rec, RunStatus::Succeeded, std::nullopt, false, config.historyKept);
        return;
    }

    setPhase("applying");
    ApplyOptions ao;
    ao.userRole = configuredRole(config);
    ao.batchSize = config.batchSize;
    ao.nowSeconds = clock_.nowSeconds();
    ao.onProgress = [this](std::size_t done) { applied_ = done; };
    ao.onBatch = [id = rec.id](db::Transaction& tx, const std::string& kind, std::size_t n) {
        addApplied(tx, id, kind, n);
    };
    AppliedCounts applied;
    try {
        applyPlan(store_, outbox_, *outcome.plan, ao, &applied);
    } catch (...) {
        for (const auto& [kind, n] : applied) rec.counts[kind] = n;
        throw;
    }
    for (const auto& [kind, n] : applied) rec.counts[kind] = n;
    // The cookies advance only once their changes are in the store: a failed apply reads them again.
    // An incremental run that skipped entries keeps its old cookies, so the skipped entries are
    // read (and reported) again by the next run, as a full run would.
    if (feed && (!incremental || outcome.plan->skipped.empty()))
        saveChangeFeedState(store_, *feed, clock_.nowSeconds());
    spdlog::info("sync {}: applied {} changes in {:.3f} s", rec.id, outcome.plan->changeCount(), step.lap());
    for (const auto& [kind, n] : outcome.plan->counts())
        if (n) metrics_.inc("rosterd_sync_changes_total", {{"kind", kind}}, static_cast<double>(n));
    // A run that changed nothing writes no event, so a quiet directory makes no noise downstream.
    record(rec, RunStatus::Succeeded, std::nullopt, outcome.plan->changeCount() > 0, config.historyKept);
}

SyncService::IncrementalAttempt SyncService::tryIncremental(const std::string& runId, DirectorySource& source,
                                                            const RunRequest& request, const SyncConfig& config,
                                                            const PlanOptions& options) {
    IncrementalAttempt attempt;
    if (auto unsupported = source.incrementalUnsupported()) {
        spdlog::warn("sync {}: running a full sync: {}", runId, *unsupported);
        return attempt;
    }
    ChangeFeedState stored = loadChangeFeedState(store_);
    std::optional<std::string> fullBecause = request.full
                                                 ? std::optional<std::string>("a full run was asked for")
                                                 : fullRunReason(stored, source.scope(), config, clock_.nowMillis());
    if (!fullBecause) {
        try {
            Stopwatch part;
            DirectoryChanges changes = source.readChanges(stored.cookies);
            const double readSeconds = part.lap();
            attempt.feed = ChangeFeedState{changes.cookies, source.scope(), stored.lastFullAt};
            IncrementalPlan ip =
                planIncremental(store_, source, std::move(changes), options, [] { return newTimeOrderedUuid(); });
            spdlog::debug("sync {}: changes read in {:.3f} s, planned against the store in {:.3f} s", runId,
                          readSeconds, part.seconds());
            if (!ip.needsFullRun) {
                attempt.plan = std::move(ip.plan);
                return attempt;
            }
            fullBecause = *ip.needsFullRun;
        } catch (const ldap::SyncRefreshRequired& e) {
            spdlog::warn("sync {}: {}", runId, e.what());
            fullBecause = e.what();
        }
    }
    spdlog::info("sync {}: full run: {}", runId, *fullBecause);
    // Taken before the full read, so a change made during it is read again next time.
    if (!attempt.feed) {
        try {
            attempt.feed = ChangeFeedState{source.currentCookies(), source.scope(), 0};
        } catch (const LdapError& e) {
            // No change feed (no syncprov?): this run still reads everything.
            spdlog::warn("sync {}: cannot take a sync cookie, the next run will be full too: {}", runId, e.what());
            return attempt;
        }
    }
    attempt.feed->lastFullAt = clock_.nowMillis();
    return attempt;
}

void SyncService::record(RunRecord& rec, RunStatus status, const std::optional<std::string>& error, bool emitEvent,
                         std::size_t historyKept) {
    rec.status = status;
    rec.error = error;
    rec.finishedAt = clock_.nowMillis();
    try {
        store_.transact([&](db::Transaction& tx) {
            finishRun(tx, rec);
            noteRunEnd(tx, rec, clock_.nowSeconds());
            pruneRuns(tx, historyKept);
            if (emitEvent) appendOutcomeEvent(tx, rec);
        });
    } catch (const std::exception& e) {
        // The store itself failed (the likely reason the run failed); the log keeps the outcome.
        spdlog::error("sync {}: cannot record the outcome ({}): {}", rec.id, runStatusName(status), e.what());
    }
}

void SyncService::appendOutcomeEvent(db::Transaction& tx, const RunRecord& rec) {
    nlohmann::json data = {{"run_id", rec.id},
                           {"trigger", rec.trigger},
                           {"status", runStatusName(rec.status)},
                           {"counts", rec.counts},
                           {"applied", rec.dryRun ? nlohmann::json::object() : rec.counts},
                           {"planned", rec.planned}};
    if (rec.error) data["error"] = *rec.error;
    outbox_.append(tx, rec.status == RunStatus::Succeeded ? "sync.completed" : "sync.failed", data);
}

void SyncService::keepPlan(RunRecord& rec, RunOutcome& outcome) {
    nlohmann::json changes = planChangesJson(store_, *outcome.plan);
    const std::string fingerprint = planFingerprint(changes);
    try {
        store_.transact([&](db::Transaction& tx) { storeRunPlan(tx, rec.id, changes, fingerprint); });
        rec.planFingerprint = fingerprint;
        rec.planTotal = static_cast<std::int64_t>(changes.size());
    } catch (const DbError& e) {
        // The run goes on: its caller still gets the plan, only later pages cannot be served.
        spdlog::warn("sync {}: cannot keep the plan with the run: {}", rec.id, e.what());
    }
    outcome.changes = std::move(changes);
}

bool SyncService::repeatsLastRefusal(const RunRecord& rec) {
    if (!rec.planFingerprint) return false;
    try {
        auto previous =
            store_.transact([&](db::Transaction& tx) { return lastRefusalFingerprint(tx); }, db::TxMode::Read);
        return previous && *previous == *rec.planFingerprint;
    } catch (const std::exception& e) {
        spdlog::warn("sync {}: cannot compare with the last refused run, announcing this one: {}", rec.id, e.what());
        return false;
    }
}

void SyncService::closeInterrupted() {
    try {
        const std::size_t closed = store_.transact([&](db::Transaction& tx) {
            return closeInterruptedRuns(
                tx, clock_.nowMillis(), [&](const std::string& holder) { return holderGone(store_.driver(), holder); },
                [&](db::Transaction& t, const RunRecord& run) {
                    spdlog::warn("sync {}: recorded as interrupted (started {} ms before, {} committed)", run.id,
                                 clock_.nowMillis() - run.startedAt, run.counts.dump());
                    appendOutcomeEvent(t, run);
                });
        });
        if (closed > 0)
            metrics_.inc("rosterd_sync_runs_total", {{"status", "interrupted"}}, static_cast<double>(closed));
    } catch (const std::exception& e) {
        // The run about to start will meet the same store; its own failure says what is wrong.
        spdlog::error("sync: cannot record interrupted runs: {}", e.what());
    }
}

bool SyncService::recoverInterrupted() {
    std::unique_ptr<db::Lease> lease;
    try {
        lease = store_.tryLease("sync");
    } catch (const std::exception& e) {
        spdlog::error("sync: cannot take the sync lease to look for interrupted runs: {}", e.what());
        return false;
    }
    if (!lease) return false;  // a run is under way elsewhere; whoever takes the lease next looks
    closeInterrupted();
    return true;
}

nlohmann::json SyncService::status(std::size_t recent) {
    const SyncConfig cfg = config();
    nlohmann::json current;
    {
        std::lock_guard lock(mutex_);
        current = {{"running", !currentRun_.empty()}, {"phase", phase_}};
        if (!currentRun_.empty()) {
            current["run_id"] = currentRun_;
            current["progress"] = {{"planned", planned_.load()}, {"applied", applied_.load()}};
        }
    }
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : recentRuns(store_, recent)) runs.push_back(r.toJson());
    return {{"current", current},
            {"config",
             {{"interval_seconds", std::chrono::duration_cast<std::chrono::seconds>(cfg.interval).count()},
              {"mode", cfg.mode == SyncMode::Full ? "full" : "incremental"},
              {"nested_groups", cfg.nestedGroups},
              {"max_deactivations", cfg.maxDeactivations},
              {"max_deactivation_percent", cfg.maxDeactivationPercent},
              {"max_group_deletions", cfg.maxGroupDeletions}}},
            {"runs", runs}};
}

}  // namespace rosterd::sync
