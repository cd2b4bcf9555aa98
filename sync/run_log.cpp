#include "sync/run_log.h"

namespace rosterd::sync {

nlohmann::json RunRecord::toJson() const {
    nlohmann::json j = {{"id", id},          {"trigger", trigger}, {"mode", mode},     {"dry_run", dryRun},
                        {"forced", forced},  {"status", status},   {"started_at", startedAt},
                        {"counts", counts},  {"skipped", skipped}};
    j["finished_at"] = finishedAt ? nlohmann::json(*finishedAt) : nlohmann::json(nullptr);
    j["error"] = error ? nlohmann::json(*error) : nlohmann::json(nullptr);
    return j;
}

void insertRun(db::Transaction& tx, const RunRecord& run) {
    tx.exec("INSERT INTO sync_runs (id, triggered_by, mode, dry_run, forced, status, started_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {run.id, run.trigger, run.mode, db::val(run.dryRun), db::val(run.forced), run.status, run.startedAt});
}

void finishRun(db::Transaction& tx, const RunRecord& run) {
    tx.exec("UPDATE sync_runs SET status = $2, finished_at = $3, counts = $4, skipped = $5, error = $6, mode = $7 "
            "WHERE id = $1",
            {run.id, run.status, db::val(run.finishedAt), run.counts.dump(), run.skipped.dump(), db::val(run.error),
             run.mode});
}

std::vector<RunRecord> recentRuns(db::Store& store, std::size_t limit) {
    std::vector<RunRecord> out;
    store.transact(
        [&](db::Transaction& tx) {
            auto rs = tx.exec("SELECT id, triggered_by, mode, dry_run, forced, status, started_at, finished_at, counts, "
                              "skipped, error FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT $1",
                              {static_cast<std::int64_t>(limit)});
            for (auto r : rs) {
                RunRecord run;
                run.id = r.str(0);
                run.trigger = r.str(1);
                run.mode = r.str(2);
                run.dryRun = r.boolean(3);
                run.forced = r.boolean(4);
                run.status = r.str(5);
                run.startedAt = r.i64(6);
                run.finishedAt = r.optI64(7);
                run.counts = nlohmann::json::parse(r.str(8), nullptr, false);
                run.skipped = nlohmann::json::parse(r.str(9), nullptr, false);
                run.error = r.optStr(10);
                out.push_back(std::move(run));
            }
        },
        db::TxMode::Read);
    return out;
}

void pruneRuns(db::Transaction& tx, std::size_t keep) {
    tx.exec("DELETE FROM sync_runs WHERE started_at < (SELECT started_at FROM sync_runs ORDER BY started_at DESC "
            "LIMIT 1 OFFSET $1)",
            {static_cast<std::int64_t>(keep)});
}

std::optional<std::string> readState(db::Transaction& tx, const std::string& name) {
    auto rs = tx.exec("SELECT value FROM sync_state WHERE name = $1", {name});
    if (rs.empty()) return std::nullopt;
    return rs.front().str(0);
}

void writeState(db::Transaction& tx, const std::string& name, const std::string& value, std::int64_t nowSeconds) {
    tx.exec("INSERT INTO sync_state (name, value, updated_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            {name, value, nowSeconds});
}

}  // namespace rosterd::sync
