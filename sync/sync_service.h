#pragma once
// One sync run from end to end: lease -> read the directory -> load the store -> plan ->
// safety gate -> apply -> record. Shared by the scheduler, the HTTP route and the CLI.
#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/metrics.h"
#include "db/store.h"
#include "sync/change_feed_state.h"
#include "sync/directory.h"
#include "sync/plan.h"
#include "sync/run_log.h"
#include "sync/sync_config.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

struct RunRequest {
    std::string trigger = "api";  ///< schedule | api | cli
    bool dryRun = false;
    bool force = false;
    bool full = false;  ///< read the whole directory even when incremental mode could read changes
};

struct RunOutcome {
    RunStatus status = RunStatus::Failed;  ///< Succeeded | Failed | Refused | Busy
    RunRecord record;                      ///< empty id when busy; `counts` are what was applied, `planned` the plan
    std::optional<Plan> plan;
    /// The whole plan as planChangesJson renders it, kept with the run (a dry run or a refused
    /// run; absent otherwise).
    std::optional<nlohmann::json> changes;
    std::string error;
};

using SourceFactory = std::function<std::unique_ptr<DirectorySource>()>;

class SyncService {
public:
    SyncService(db::Store& store, webhooks::Outbox& outbox, Metrics& metrics, const Clock& clock, SyncConfig config,
                SourceFactory sources);
    /// Waits for the last run's records to be freed.
    ~SyncService();
    /// Runs one sync now, or returns status "busy" when another (here or on another replica) holds
    /// the lease. Never throws for directory or store failures: they become a failed run.
    RunOutcome run(const RunRequest& request);
    /// Current state (idle or the running run's phase and progress) and the most recent runs.
    nlohmann::json status(std::size_t recent = 20);
    /// Records the runs a gone holder left `running` as `interrupted` (with a sync.failed event),
    /// when the lease is free; every run does the same once it holds the lease. Called at
    /// start-up. Returns false when the lease was busy or the store failed.
    bool recoverInterrupted();
    /// The configuration the next run will use.
    SyncConfig config() const;
    /// The store runs are recorded in (their kept plans are read from it).
    db::Store& store() { return store_; }
    /// Replaces the configuration (reload); a run already under way keeps the one it started with.
    void reconfigure(SyncConfig config);
    /// Called after every run that started (not "busy"), e.g. to publish the result to systemd.
    void setRunListener(std::function<void(const RunOutcome&)> listener);
    /// For a process that ends after its run (`rosterd sync`): a full run's working records (the
    /// snapshot and the store's side, a directory's worth of small allocations) are freed without
    /// anyone waiting for it, so the process can end first and its exit reclaim them at once.
    void setEndsWithProcess(bool ends) { endsWithProcess_ = ends; }

private:
    /// Incremental mode's decision for one run: a plan when the changes alone suffice, and the
    /// change-feed state to store once the run has applied (none: nothing to store).
    struct IncrementalAttempt {
        std::optional<Plan> plan;
        std::optional<ChangeFeedState> feed;
    };
    IncrementalAttempt tryIncremental(const std::string& runId, DirectorySource& source, const RunRequest& request,
                                      const SyncConfig& config, const PlanOptions& options);
    void execute(RunRecord& record, const RunRequest& request, const SyncConfig& config, RunOutcome& outcome);
    void record(RunRecord& record, RunStatus status, const std::optional<std::string>& error, bool emitEvent,
                std::size_t historyKept);
    void setPhase(const std::string& phase);
    /// Under the lease: closes the runs left `running` (see recoverInterrupted).
    void closeInterrupted();
    void appendOutcomeEvent(db::Transaction& tx, const RunRecord& rec);
    /// Renders the plan, keeps it with the run (paged by the API) with its fingerprint.
    void keepPlan(RunRecord& rec, RunOutcome& outcome);
    /// Whether the run refused the same plan as the last run before it, which was refused too.
    bool repeatsLastRefusal(const RunRecord& rec);

    db::Store& store_;
    webhooks::Outbox& outbox_;
    Metrics& metrics_;
    const Clock& clock_;
    SyncConfig config_;
    SourceFactory sources_;
    std::function<void(const RunOutcome&)> listener_;
    mutable std::mutex mutex_;
    std::string currentRun_;
    std::string phase_ = "idle";
    std::atomic<std::size_t> applied_{0};
    std::atomic<std::size_t> planned_{0};
    void waitForDisposal();

    bool endsWithProcess_ = false;
    /// Frees the previous full run's records in the background; waited for by the next run and
    /// on destruction. Its own mutex: runs start on different threads, and a lease held on the
    /// database (PostgreSQL) orders them in time but not in memory.
    std::mutex disposalMutex_;
    std::future<void> disposal_;
};

}  // namespace rosterd::sync
