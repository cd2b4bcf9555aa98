#pragma once
// Bulk creation of local users from CSV (header Name,Email,Password,Role, any order, matched
// case-insensitively; other columns, such as those of an export, are ignored). Each row stands
// alone: a bad row fails with its number and reason and every good row is created, with its
// user.created event in the same transaction. Passwords are hashed on a HashPool, never inside a
// transaction; users are inserted in small transactions as their hashes complete.
#include <cstddef>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "accounts/password_hasher.h"
#include "accounts/user_import_config.h"
#include "accounts/user_import_pool.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::accounts {

struct ImportProgress {
    std::size_t total = 0;  ///< data rows in the file
    std::size_t done = 0;   ///< rows finished, created or failed
    std::size_t created = 0;
    std::size_t failed = 0;
    double elapsedSeconds = 0;
    double rowsPerSecond = 0;
    double etaSeconds = 0;  ///< 0 when unknown or done
};
using ImportProgressFn = std::function<void(const ImportProgress&)>;

struct ImportRow {
    std::size_t row = 0;  ///< record number in the file; the header is row 1
    std::string email;    ///< as normalised, or as given when it is not valid
    bool created = false;
    std::string detail;              ///< the reason of a failure, or the new user's id
    std::vector<std::string> cells;  ///< the record as read (for an errors file)
};

struct ImportResult {
    std::size_t created = 0;
    std::size_t failed = 0;
    std::vector<std::string> header;  ///< the header as read
    std::vector<ImportRow> rows;      ///< in file order
    /// {created, failed, rows: [{row, email, status: created|failed, detail}]}
    nlohmann::json toJson() const;
};

/// An example import file (the same as static/user-import.csv).
extern const char* const kImportTemplate;

class UserImporter {
public:
    UserImporter(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, const PasswordHasher& hasher,
                 std::size_t passwordMinLength, ImportConfig config, HashPool& pool, Metrics& metrics);

    /// Imports `csv`. Refuses the whole file, creating nothing, with PayloadTooLarge when it is over
    /// max_bytes and InvalidInput when it is not CSV or lacks the header; otherwise reports each row.
    /// `progress` is called from the calling thread after every batch.
    ImportResult run(const std::string& csv, const ImportProgressFn& progress = {});
    const ImportConfig& config() const { return config_; }

private:
    db::Store& store_;
    webhooks::Outbox& outbox_;
    const Clock& clock_;
    const PasswordHasher& hasher_;
    std::size_t passwordMinLength_;
    ImportConfig config_;
    HashPool& pool_;
    Metrics& metrics_;
    /// Sums over the imports running now, for the /metrics gauges.
    std::mutex gaugeMutex_;
    std::size_t running_ = 0, runningTotal_ = 0, runningDone_ = 0, runningFailed_ = 0;
    void publish(std::ptrdiff_t runs, std::ptrdiff_t total, std::ptrdiff_t done, std::ptrdiff_t failed, double rate);
};

}  // namespace rosterd::accounts
