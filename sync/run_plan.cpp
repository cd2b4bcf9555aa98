#include "sync/run_plan.h"

#include <algorithm>

namespace rosterd::sync {
namespace {
constexpr std::size_t kRowsPerInsert = 300;  // three parameters each, well under SQLite's limit
}

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
            params.push_back(runId);
            params.push_back(static_cast<std::int64_t>(i));
            params.push_back(changes[i].dump());
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

std::optional<std::string> previousRefusalFingerprint(db::Transaction& tx, const std::string& runId) {
    auto rs = tx.exec(
        "SELECT status, plan_fingerprint FROM sync_runs WHERE id <> $1 AND dry_run = 0 AND finished_at IS NOT NULL "
        "ORDER BY finished_at DESC, started_at DESC LIMIT 1",
        {runId});
    if (rs.empty() || rs.front().str(0) != "refused") return std::nullopt;
    return rs.front().optStr(1);
}

}  // namespace rosterd::sync
