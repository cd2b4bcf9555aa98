#include "sync/run_plan.h"

#include <algorithm>

namespace rosterd::sync {
namespace {
constexpr std::size_t kRowsPerInsert = 300;  // three parameters each, well under SQLite's limit
// sync_state: the plan fingerprint of the last refused run while nothing has gone through since.
constexpr const char* kLastRefusal = "last_refusal_fingerprint";
}  // namespace

void storeRunPlan(db::Transaction& tx, const std::string& runId, const nlohmann::json& changes,
                  const std::string& fingerprint) {
    tx.exec("UPDATE sync_runs SET plan_fingerprint = $2, plan_total = $3 WHERE id = $1",
            {runId, fingerprint, static_cast<std::int64_t>(changes.size())});
    for (std::size_t from = 0; from < changes.size(); from += kRowsPerInsert) {
        const std::size_t to = std::min(changes.size(), from + kRowsPerInsert);
        std::string sql = "INSERT INTO sync_run_changes (run_id, seq, change) VALUES ";
        db::Params params;
        for (std::size_t i = from; i < to; ++i) {
            const std::size_t p = params.size();
            sql += (i == from ? "" : ", ") + std::string("($") + std::to_string(p + 1) + ", $" + std::to_string(p + 2) +
                   ", $" + std::to_string(p + 3) + ")";
            params.emplace_back(runId);
            params.emplace_back(static_cast<std::int64_t>(i));
            params.emplace_back(changes[i].dump());
        }
        tx.exec(sql, params);
    }
}

std::optional<nlohmann::json> runPlanPage(db::Store& store, const std::string& runId, std::size_t offset,
                                          std::size_t limit) {
    return store.transact(
        [&](db::Transaction& tx) -> std::optional<nlohmann::json> {
            auto run = tx.exec("SELECT plan_total FROM sync_runs WHERE id = $1", {runId});
            if (run.empty() || !run.front().optI64(0)) return std::nullopt;
            nlohmann::json changes = nlohmann::json::array();
            for (auto row :
                 tx.exec("SELECT change FROM sync_run_changes WHERE run_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3",
                         {runId, static_cast<std::int64_t>(offset), static_cast<std::int64_t>(limit)}))
                changes.push_back(nlohmann::json::parse(row.str(0)));
            return nlohmann::json{{"run_id", runId},
                                  {"total", *run.front().optI64(0)},
                                  {"offset", offset},
                                  {"limit", limit},
                                  {"changes", std::move(changes)}};
        },
        db::TxMode::Read);
}

std::optional<std::string> lastRefusalFingerprint(db::Transaction& tx) {
    auto value = readState(tx, kLastRefusal);
    if (!value || value->empty()) return std::nullopt;
    return value;
}

void noteRunEnd(db::Transaction& tx, const RunRecord& run, std::int64_t nowSeconds) {
    if (run.dryRun) return;
    if (run.status == RunStatus::Refused)
        writeState(tx, kLastRefusal, run.planFingerprint.value_or(""), nowSeconds);
    else if (run.status == RunStatus::Succeeded)
        writeState(tx, kLastRefusal, "", nowSeconds);
}

}  // namespace rosterd::sync
