#include "accounts/user_import.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "accounts/events.h"
#include "accounts/user.h"
#include "accounts/user_store.h"
#include "accounts/validation.h"
#include "common/csv_reader.h"
#include "common/csv_writer.h"
#include "common/errors.h"
#include "common/log_safe.h"
#include "common/random.h"

namespace rosterd::accounts {

const char* const kImportTemplate =
    "Name,Email,Password,Role\r\n"
    "Ada Lovelace,ada@example.com,change-me-1815,admin\r\n"
    "\"Hopper, Grace\",grace@example.com,change-me-1906,user\r\n"
    "Alan Turing,alan@example.com,change-me-1912,pending\r\n";

nlohmann::json ImportResult::toJson() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : rows)
        list.push_back(
            {{"row", r.row}, {"email", r.email}, {"status", r.created ? "created" : "failed"}, {"detail", r.detail}});
    return {{"created", created}, {"failed", failed}, {"rows", list}};
}

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trimBlanks(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

struct Columns {
    std::size_t name, email, password, role;
};

Columns mapHeader(const std::vector<std::string>& header) {
    std::map<std::string, std::size_t> at;
    std::string found;
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string key = lower(trimBlanks(header[i]));
        found += (i ? "," : "") + header[i];
        if (key.empty()) continue;
        if (!at.emplace(key, i).second) throw InvalidInput("the header names the column '" + header[i] + "' twice");
    }
    std::vector<std::string> missing;
    for (const char* c : {"name", "email", "password", "role"})
        if (!at.count(c)) missing.push_back(c);
    if (!missing.empty()) {
        std::string m;
        for (const auto& c : missing) m += (m.empty() ? "" : ", ") + c;
        throw InvalidInput(
            "not a user import file: the first line must be the header Name,Email,Password,Role "
            "(missing " +
            m + "; found '" + found.substr(0, 200) + "')");
    }
    return {at["name"], at["email"], at["password"], at["role"]};
}

/// A row that passed validation and waits for its hash.
struct Candidate {
    std::size_t index;  ///< into ImportResult::rows
    std::string name, email, password, role;
    Role parsedRole = Role::Pending;
};

struct Hashed {
    std::size_t candidate;
    std::string hash;
    std::string error;  ///< set when hashing failed
};

/// Shared with the pool's jobs, which may outlive a run that failed early.
struct HashQueue {
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<Hashed> done;
    std::atomic<bool> cancelled{false};
};

}  // namespace

UserImporter::UserImporter(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, const PasswordHasher& hasher,
                           std::size_t passwordMinLength, ImportConfig config, HashPool& pool, Metrics& metrics)
    : store_(store),
      outbox_(outbox),
      clock_(clock),
      hasher_(hasher),
      passwordMinLength_(passwordMinLength),
      config_(config),
      pool_(pool),
      metrics_(metrics) {
    if (config_.batchSize == 0) config_.batchSize = 1;
    metrics_.describe("rosterd_import_rows_total", "counter", "Imported CSV rows by result (created, failed)");
    metrics_.describe("rosterd_imports_running", "gauge", "User imports in progress");
    metrics_.describe("rosterd_import_progress_rows", "gauge",
                      "Rows of the imports in progress by state (total, done, failed)");
    metrics_.describe("rosterd_import_rate_rows_per_second", "gauge", "Rows per second of the latest import progress");
    publish(0, 0, 0, 0, 0);
}

void UserImporter::publish(std::ptrdiff_t runs, std::ptrdiff_t total, std::ptrdiff_t done, std::ptrdiff_t failed,
                           double rate) {
    std::lock_guard lock(gaugeMutex_);
    running_ += static_cast<std::size_t>(runs);
    runningTotal_ += static_cast<std::size_t>(total);
    runningDone_ += static_cast<std::size_t>(done);
    runningFailed_ += static_cast<std::size_t>(failed);
    metrics_.set("rosterd_imports_running", {}, static_cast<double>(running_));
    metrics_.set("rosterd_import_progress_rows", {{"state", "total"}}, static_cast<double>(runningTotal_));
    metrics_.set("rosterd_import_progress_rows", {{"state", "done"}}, static_cast<double>(runningDone_));
    metrics_.set("rosterd_import_progress_rows", {{"state", "failed"}}, static_cast<double>(runningFailed_));
    metrics_.set("rosterd_import_rate_rows_per_second", {}, rate);
}

ImportResult UserImporter::run(const std::string& csvText, const ImportProgressFn& progressFn) {
    if (csvText.size() > config_.maxBytes)
        throw PayloadTooLarge("the file is " + std::to_string(csvText.size()) + " bytes; imports are limited to " +
                              std::to_string(config_.maxBytes) + " bytes ([import] max_bytes)");

    // Read and check the whole file first: a file that is not CSV creates nothing.
    ImportResult result;
    std::istringstream in(csvText);
    csv::CsvReader reader(in);
    Columns col{};
    try {
        if (!reader.next(result.header) || (result.header.size() == 1 && trimBlanks(result.header[0]).empty()))
            throw InvalidInput("the file is empty; expected the header Name,Email,Password,Role");
        col = mapHeader(result.header);
        std::vector<std::string> cells;
        while (reader.next(cells)) {
            if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
            ImportRow r;
            r.row = reader.row();
            r.cells = cells;
            result.rows.push_back(std::move(r));
        }
    } catch (const csv::CsvError& e) {
        throw InvalidInput(std::string("not a valid CSV file, nothing was imported: ") + e.what());
    }

    auto started = clock_.steadyNow();
    ImportProgress progress;
    progress.total = result.rows.size();
    publish(1, static_cast<std::ptrdiff_t>(progress.total), 0, 0, 0);
    std::size_t publishedDone = 0, publishedFailed = 0;
    auto report = [&] {
        progress.done = progress.created + progress.failed;
        progress.elapsedSeconds = std::chrono::duration<double>(clock_.steadyNow() - started).count();
        progress.rowsPerSecond =
            progress.elapsedSeconds > 0 ? static_cast<double>(progress.done) / progress.elapsedSeconds : 0;
        progress.etaSeconds = progress.rowsPerSecond > 0
                                  ? static_cast<double>(progress.total - progress.done) / progress.rowsPerSecond
                                  : 0;
        publish(0, 0, static_cast<std::ptrdiff_t>(progress.done - publishedDone),
                static_cast<std::ptrdiff_t>(progress.failed - publishedFailed), progress.rowsPerSecond);
        publishedDone = progress.done;
        publishedFailed = progress.failed;
        if (progressFn) progressFn(progress);
    };
    auto fail = [&](ImportRow& r, const std::string& why) {
        r.created = false;
        r.detail = why;
        ++progress.failed;
    };

    auto queue = std::make_shared<HashQueue>();
    struct Finish {  // the gauges drop this run however it ends; pending jobs stop hashing
        UserImporter& self;
        ImportProgress& p;
        std::size_t& done;
        std::size_t& failed;
        std::shared_ptr<HashQueue> q;
        ~Finish() {
            q->cancelled = true;
            self.publish(-1, -static_cast<std::ptrdiff_t>(p.total), -static_cast<std::ptrdiff_t>(done),
                         -static_cast<std::ptrdiff_t>(failed), p.rowsPerSecond);
        }
    } finish{*this, progress, publishedDone, publishedFailed, queue};

    // Validate each row on its own; the first row with an email claims it for the file.
    std::vector<Candidate> candidates;
    std::unordered_map<std::string, std::size_t> firstRowOf;
    const std::size_t width = result.header.size();
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        ImportRow& r = result.rows[i];
        const auto& c = r.cells;
        if (c.size() > col.email) r.email = trimBlanks(csv::unneutralise(c[col.email]));
        if (c.size() != width) {
            fail(r,
                 "expected " + std::to_string(width) + " fields as in the header, found " + std::to_string(c.size()));
            continue;
        }
        try {
            Candidate cand;
            cand.index = i;
            cand.name = normalizeName(csv::unneutralise(c[col.name]));
            cand.email = normalizeEmail(csv::unneutralise(c[col.email]));
            r.email = cand.email;
            cand.role = lower(trimBlanks(c[col.role]));
            cand.parsedRole = validateRole(cand.role);
            cand.password = c[col.password];
            validatePassword(cand.password, passwordMinLength_);
            auto [it, first] = firstRowOf.emplace(cand.email, r.row);
            if (!first)
                throw InvalidInput("email " + cand.email + " is already used by row " + std::to_string(it->second) +
                                   " of this file");
            candidates.push_back(std::move(cand));
        } catch (const InvalidInput& e) {
            fail(r, e.what());
        }
    }

    // Emails already in the store fail before any hashing is spent on them.
    if (!candidates.empty()) {
        std::set<std::string> taken;
        constexpr std::size_t kChunk = 500;
        for (std::size_t from = 0; from < candidates.size(); from += kChunk) {
            std::size_t to = std::min(candidates.size(), from + kChunk);
            std::vector<std::string> emails;
            for (std::size_t k = from; k < to; ++k) emails.push_back(candidates[k].email);
            store_.transact(
                [&](db::Transaction& tx) {
                    for (auto& email : user_store::takenEmails(tx, emails)) taken.insert(std::move(email));
                },
                db::TxMode::Read);
        }
        std::vector<Candidate> fresh;
        for (auto& cand : candidates) {
            if (taken.count(cand.email))
                fail(result.rows[cand.index], "email " + cand.email + " is already taken");
            else
                fresh.push_back(std::move(cand));
        }
        candidates = std::move(fresh);
    }
    report();

    for (std::size_t k = 0; k < candidates.size(); ++k) {
        pool_.submit([queue, k, password = candidates[k].password, &hasher = hasher_] {
            Hashed h{k, "", ""};
            if (queue->cancelled)
                h.error = "the import was abandoned";
            else {
                try {
                    h.hash = hasher.hash(password);
                } catch (const std::exception& e) {
                    h.error = e.what();
                }
            }
            {
                std::lock_guard lock(queue->mutex);
                queue->done.push_back(std::move(h));
            }
            queue->cv.notify_one();
        });
        candidates[k].password.clear();
    }

    auto insertOne = [&](db::Transaction& tx, const Candidate& cand, const std::string& hash) {
        User u;
        u.id = newUuid();
        u.name = cand.name;
        u.email = cand.email;
        u.role = cand.parsedRole;
        u.source = Source::Local;
        u.createdAt = u.updatedAt = u.lastActiveAt = clock_.nowSeconds();
        user_store::insert(tx, u);
        user_store::setPasswordHash(tx, u.id, hash);
        outbox_.append(tx, events::userCreated(u));
        return u.id;
    };

    std::size_t received = 0;
    while (received < candidates.size()) {
        std::vector<Hashed> batch;
        {
            std::unique_lock lock(queue->mutex);
            queue->cv.wait(lock, [&] { return !queue->done.empty(); });
            while (!queue->done.empty() && batch.size() < config_.batchSize) {
                batch.push_back(std::move(queue->done.front()));
                queue->done.pop_front();
            }
        }
        received += batch.size();
        std::vector<const Hashed*> ready;
        for (const auto& h : batch) {
            if (h.error.empty())
                ready.push_back(&h);
            else
                fail(result.rows[candidates[h.candidate].index], h.error);
        }
        // One transaction per batch; when it fails, each row alone, so that one row taken meanwhile
        // (or any other refusal) fails only itself.
        std::vector<std::string> ids;
        bool batchStored = ready.empty();
        if (!ready.empty()) {
            try {
                store_.transact([&](db::Transaction& tx) {
                    ids.clear();
                    for (const Hashed* h : ready) ids.push_back(insertOne(tx, candidates[h->candidate], h->hash));
                });
                batchStored = true;
            } catch (const DbError& e) {
                spdlog::debug("import batch of {} rolled back, storing its rows one by one: {}", ready.size(),
                              e.what());
            }
        }
        if (batchStored) {
            for (std::size_t k = 0; k < ready.size(); ++k) {
                ImportRow& r = result.rows[candidates[ready[k]->candidate].index];
                r.created = true;
                r.detail = ids[k];
                ++progress.created;
            }
        } else {
            for (const Hashed* h : ready) {
                const Candidate& cand = candidates[h->candidate];
                ImportRow& r = result.rows[cand.index];
                try {
                    r.detail = store_.transact([&](db::Transaction& tx) { return insertOne(tx, cand, h->hash); });
                    r.created = true;
                    ++progress.created;
                } catch (const ConstraintViolation&) {
                    fail(r, "email " + cand.email + " is already taken");
                } catch (const DbError& e) {
                    spdlog::error("import row {}: could not store {}: {}", r.row, logSafe(cand.email), e.what());
                    fail(r, std::string("could not be stored: ") + e.what());
                }
            }
        }
        report();
    }

    result.created = progress.created;
    result.failed = progress.failed;
    metrics_.inc("rosterd_import_rows_total", {{"result", "created"}}, static_cast<double>(result.created));
    metrics_.inc("rosterd_import_rows_total", {{"result", "failed"}}, static_cast<double>(result.failed));
    spdlog::info("user import: {} rows, {} created, {} failed in {:.1f} s", progress.total, result.created,
                 result.failed, progress.elapsedSeconds);
    return result;
}

}  // namespace rosterd::accounts
