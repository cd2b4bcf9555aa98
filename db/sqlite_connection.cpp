#include <string>
#include <unordered_map>

#include "common/errors.h"
#include "db/drivers.h"
#include "db/sqlite_handles.h"
#include "db/storage_file_error.h"

namespace rosterd::db {
namespace {

/// Throws StorageFileError when `rc` says the file itself cannot be opened or written.
void throwIfFileFailure(sqlite3* db, int rc, const std::string& msg) {
    int primary = rc & 0xff;
    if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_READONLY ||
        primary == SQLITE_PERM || primary == SQLITE_NOTADB) {
        const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
        throw StorageFileError(msg, file ? file : "", db ? sqlite3_system_errno(db) : 0);
    }
}

/// Turns a SQLite return code into the matching exception with SQLite's own message.
[[noreturn]] void throwSqlite(sqlite3* db, int rc, std::string_view context) {
    std::string msg = std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int primary = rc & 0xff;
    if (primary == SQLITE_CONSTRAINT) throw ConstraintViolation(msg);
    throwIfFileFailure(db, rc, msg);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw ConnectionError(msg);
    throw DbError(msg);
}

/// SQLite reads `$1` as a named parameter; `?1` is its numbered form, so placeholders are rewritten.
std::string rewritePlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    bool inString = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '\'') inString = !inString;
        if (!inString && c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            out.push_back('?');
            continue;
        }
        out.push_back(c);
    }
    return out;
}

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::string& path, std::chrono::milliseconds busyTimeout) {
        sqlite3* raw = nullptr;
        int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        db_.reset(raw);
        if (rc != SQLITE_OK) throwSqlite(raw, rc, "cannot open SQLite database '" + path + "'");
        sqlite3_busy_timeout(db_.get(), static_cast<int>(busyTimeout.count()));
        // A 16 MB page cache keeps the indexes of a large directory in memory during bulk syncs
        // (the default 2 MB makes most random-key inserts a page read).
        execScript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;");
    }

    ResultSet exec(std::string_view sql, const Params& params) override {
        sqlite3_stmt* stmt = prepared(sql);
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        for (std::size_t i = 0; i < params.size(); ++i) bind(stmt, static_cast<int>(i + 1), params[i]);
        int ncol = sqlite3_column_count(stmt);
        std::vector<std::string> columns;
        columns.reserve(static_cast<std::size_t>(ncol));
        for (int c = 0; c < ncol; ++c) columns.emplace_back(sqlite3_column_name(stmt, c));
        std::vector<std::optional<std::string>> cells;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            for (int c = 0; c < ncol; ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
                    cells.emplace_back(std::nullopt);
                } else {
                    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    cells.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
                }
            }
        }
        if (rc != SQLITE_DONE) {
            sqlite3_reset(stmt);
            throwSqlite(db_.get(), rc, "statement failed");
        }
        std::size_t affected =
            ncol == 0 || sqlite3_stmt_readonly(stmt) == 0 ? static_cast<std::size_t>(sqlite3_changes(db_.get())) : 0;
        sqlite3_reset(stmt);
        return ResultSet(ncol == 0 ? std::vector<std::string>{} : std::move(columns), std::move(cells), affected);
    }

    void execScript(std::string_view sql) override {
        char* err = nullptr;
        std::string s(sql);
        int rc = sqlite3_exec(db_.get(), s.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConstraintViolation(msg);
            throwIfFileFailure(db_.get(), rc, msg);
            if ((rc & 0xff) == SQLITE_BUSY) throw ConnectionError(msg);
            throw DbError(msg);
        }
    }

    void insertRows(std::string_view table, const std::vector<std::string>& columns, const Params& values) override {
        if (columns.empty() || values.empty()) return;
        std::string sql = "INSERT INTO " + std::string(table) + " (";
        std::string marks;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            sql += (c ? ", " : "") + columns[c];
            marks += (c ? ", $" : "$") + std::to_string(c + 1);
        }
        sqlite3_stmt* stmt = prepared(sql + ") VALUES (" + marks + ")");
        // Inside one transaction SQLite inserts a row in microseconds; re-stepping one prepared
        // statement beats building huge multi-row statements.
        // `values` outlives every step, so text is bound without SQLite taking a copy of it; the
        // bindings are cleared before returning so none points at it afterwards.
        struct ClearBindings {
            sqlite3_stmt* s;
            ~ClearBindings() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } clear{stmt};
        const int cols = static_cast<int>(columns.size());
        for (std::size_t i = 0; i < values.size(); i += columns.size()) {
            sqlite3_reset(stmt);
            for (int c = 0; c < cols; ++c) bind(stmt, c + 1, values[i + static_cast<std::size_t>(c)], SQLITE_STATIC);
            int rc = sqlite3_step(stmt);
            if (rc != SQLITE_DONE) {
                sqlite3_reset(stmt);
                throwSqlite(db_.get(), rc, "insert into " + std::string(table) + " failed");
            }
        }
    }

    void begin(TxMode mode) override { execScript(mode == TxMode::Write ? "BEGIN IMMEDIATE" : "BEGIN"); }
    void commit() override { execScript("COMMIT"); }
    void rollback() override {
        if (!sqlite3_get_autocommit(db_.get())) execScript("ROLLBACK");
    }
    bool broken() const override { return false; }

private:
    sqlite3_stmt* prepared(std::string_view sql) {
        auto it = cache_.find(std::string(sql));
        if (it != cache_.end()) return it->second.get();
        std::string text = rewritePlaceholders(sql);
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v3(db_.get(), text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                                    &raw, nullptr);
        SqliteStmt stmt(raw);
        if (rc != SQLITE_OK) throwSqlite(db_.get(), rc, "cannot prepare statement");
        if (cache_.size() > 256) cache_.clear();
        return cache_.emplace(std::string(sql), std::move(stmt)).first->second.get();
    }

    void bind(sqlite3_stmt* stmt, int index, const Value& v, sqlite3_destructor_type text = SQLITE_TRANSIENT) {
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::nullptr_t>(v))
            rc = sqlite3_bind_null(stmt, index);
        else if (auto* i = std::get_if<std::int64_t>(&v))
            rc = sqlite3_bind_int64(stmt, index, *i);
        else if (auto* d = std::get_if<double>(&v))
            rc = sqlite3_bind_double(stmt, index, *d);
        else {
            const auto& s = std::get<std::string>(v);
            rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), text);
        }
        if (rc != SQLITE_OK) throwSqlite(db_.get(), rc, "cannot bind parameter $" + std::to_string(index));
    }

    // cache_ is declared after db_ so its statements are finalized before the database closes.
    SqliteHandle db_;
    std::unordered_map<std::string, SqliteStmt> cache_;
};

}  // namespace

std::unique_ptr<Connection> openSqlite(const std::string& path, std::chrono::milliseconds busyTimeout) {
    return std::make_unique<SqliteConnection>(path, busyTimeout);
}

}  // namespace rosterd::db
