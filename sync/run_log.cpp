#include "sync/run_log.h"

namespace rosterd::sync {

nlohmann::json RunRecord::toJson() const {
    nlohmann::json j = {{"id", id},
                        {"trigger", trigger},
                        {"mode", mode},
                        {"dry_run", dryRun},
                        {"forced", forced},
                        {"status", runStatusName(status)},
                        {"started_at", startedAt},
                        {"counts", counts},
                        {"skipped", skipped}};
    j["planned"] = planned;
    j["applied"] = dryRun ? nlohmann::json::object() : counts;
    j["finished_at"] = finishedAt ? nlohmann::json(*finishedAt) : nlohmann::json(nullptr);
    j["error"] = error ? nlohmann::json(*error) : nlohmann::json(nullptr);
    if (planTotal) j["plan"] = {{"total", *planTotal}, {"url", "/api/v1/sync/runs/" + id + "/plan"}};
    return j;
}

void insertRun(db::Transaction& tx, const RunRecord& run) {
    tx.exec(
        "INSERT INTO sync_runs (id, triggered_by, mode, dry_run, forced, status, started_at, holder) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {run.id, run.trigger, run.mode, db::val(run.dryRun), db::val(run.forced), db::val(runStatusName(run.status)),
         run.startedAt, run.holder});
}

void finishRun(db::Transaction& tx, const RunRecord& run) {
    tx.exec(
        "UPDATE sync_runs SET status = $2, finished_at = $3, counts = $4, skipped = $5, error = $6, mode = $7, "
        "planned = $8 WHERE id = $1",
        {run.id, db::val(runStatusName(run.status)), db::val(run.finishedAt), run.counts.dump(), run.skipped.dump(),
         db::val(run.error), run.mode, run.planned.dump()});
    tx.exec("DELETE FROM sync_run_applied WHERE run_id = $1", {run.id});  // the row holds the counts now
}

void recordPlanned(db::Transaction& tx, const RunRecord& run) {
    tx.exec("UPDATE sync_runs SET planned = $2 WHERE id = $1", {run.id, run.planned.dump()});
}

void addApplied(db::Transaction& tx, const std::string& runId, const std::string& kind, std::size_t n) {
    tx.exec(
        "INSERT INTO sync_run_applied (run_id, kind, applied) VALUES ($1, $2, $3) ON CONFLICT (run_id, kind) "
        "DO UPDATE SET applied = sync_run_applied.applied + excluded.applied",
        {runId, kind, static_cast<std::int64_t>(n)});
}

nlohmann::json appliedOf(db::Transaction& tx, const std::string& runId) {
    nlohmann::json counts = nlohmann::json::object();
    for (auto r : tx.exec("SELECT kind, applied FROM sync_run_applied WHERE run_id = $1 ORDER BY kind", {runId}))
        counts[r.str(0)] = r.i64(1);
    return counts;
}

namespace {

/// The columns runFromRow reads, in its order.
constexpr const char* kRunColumns =
    "id, triggered_by, mode, dry_run, forced, status, started_at, finished_at, counts, skipped, error, planned, "
    "holder, "
    "plan_fingerprint, plan_total";

RunRecord runFromRow(const db::ResultSet::Row& r) {
    RunRecord run;
    run.id = r.str(0);
    run.trigger = r.str(1);
    run.mode = r.str(2);
    run.dryRun = r.boolean(3);
    run.forced = r.boolean(4);
    run.status = runStatusFromRow(r.str(5));
    run.startedAt = r.i64(6);
    run.finishedAt = r.optI64(7);
    run.counts = nlohmann::json::parse(r.str(8), nullptr, false);
    run.skipped = nlohmann::json::parse(r.str(9), nullptr, false);
    run.error = r.optStr(10);
    run.planned = nlohmann::json::parse(r.str(11), nullptr, false);
    run.holder = r.str(12);
    run.planFingerprint = r.optStr(13);
    run.planTotal = r.optI64(14);
    return run;
}

}  // namespace

std::size_t closeInterruptedRuns(db::Transaction& tx, std::int64_t nowMillis,
                                 const std::function<bool(const std::string& holder)>& gone,
                                 const std::function<void(db::Transaction&, const RunRecord&)>& failed) {
    std::vector<RunRecord> runs;
    for (auto r : tx.exec(std::string("SELECT ") + kRunColumns +
                          " FROM sync_runs WHERE status = 'running' ORDER BY started_at")) {
        RunRecord run = runFromRow(r);
        if (gone && !gone(run.holder)) continue;
        runs.push_back(std::move(run));
    }
    for (auto& run : runs) {
        run.status = RunStatus::Interrupted;
        run.finishedAt = nowMillis;
        run.counts = appliedOf(tx, run.id);
        run.error =
            "the run was interrupted (its process ended or lost the store) before it finished; the counts "
            "are what it had committed";
        finishRun(tx, run);
        if (failed) failed(tx, run);
    }
    return runs.size();
}

std::vector<RunRecord> recentRuns(db::Store& store, std::size_t limit) {
    std::vector<RunRecord> out;
    store.transact(
        [&](db::Transaction& tx) {
            auto rs = tx.exec(
                std::string("SELECT ") + kRunColumns + " FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT $1",
                {static_cast<std::int64_t>(limit)});
            for (auto r : rs) {
                RunRecord run = runFromRow(r);
                // A run under way shows what it has committed so far.
                if (run.status == RunStatus::Running && !run.dryRun) run.counts = appliedOf(tx, run.id);
                out.push_back(std::move(run));
            }
        },
        db::TxMode::Read);
    return out;
}

void pruneRuns(db::Transaction& tx, std::size_t keep) {
    tx.exec(
        "DELETE FROM sync_runs WHERE started_at < (SELECT started_at FROM sync_runs ORDER BY started_at DESC "
        "LIMIT 1 OFFSET $1)",
        {static_cast<std::int64_t>(keep)});
}

std::optional<std::string> readState(db::Transaction& tx, const std::string& name) {
    auto rs = tx.exec("SELECT value FROM sync_state WHERE name = $1", {name});
    if (rs.empty()) return std::nullopt;
    return rs.front().str(0);
}

void writeState(db::Transaction& tx, const std::string& name, const std::string& value, std::int64_t nowSeconds) {
    tx.exec(
        "INSERT INTO sync_state (name, value, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        {name, value, nowSeconds});
}

}  // namespace rosterd::sync
