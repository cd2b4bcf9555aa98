#include <cstring>
#include <string>
#include <unordered_map>

#include "common/errors.h"
#include "db/drivers.h"
#include "db/pg_handles.h"

namespace rosterd::db {
namespace {

class PgConnection final : public Connection {
public:
    explicit PgConnection(const std::string& url) {
        conn_.reset(PQconnectdb(url.c_str()));
        if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
            std::string msg = conn_ ? PQerrorMessage(conn_.get()) : "out of memory";
            while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
            throw ConnectionError("cannot connect to PostgreSQL: " + msg);
        }
        // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(
            conn_.get(), [](void*, const char*) {}, nullptr);
    }

    ResultSet exec(std::string_view sql, const Params& params) override {
        const std::string& name = prepared(sql, params.size());
        std::vector<std::string> texts(params.size());
        std::vector<const char*> values(params.size());
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Value& v = params[i];
            if (std::holds_alternative<std::nullptr_t>(v)) {
                values[i] = nullptr;
                continue;
            }
            if (auto* n = std::get_if<std::int64_t>(&v))
                texts[i] = std::to_string(*n);
            else if (auto* d = std::get_if<double>(&v))
                texts[i] = std::to_string(*d);
            else
                texts[i] = std::get<std::string>(v);
            values[i] = texts[i].c_str();
        }
        PgResult res(PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                    nullptr, 0));
        check(res.get(), "statement failed");
        return toResultSet(res.get());
    }

    void execScript(std::string_view sql) override {
        PgResult res(PQexec(conn_.get(), std::string(sql).c_str()));
        check(res.get(), "script failed");
    }

    void insertRows(std::string_view table, const std::vector<std::string>& columns, const Params& values) override {
        if (columns.empty() || values.empty()) return;
        std::string sql = "COPY " + std::string(table) + " (";
        for (std::size_t c = 0; c < columns.size(); ++c) sql += (c ? ", " : "") + columns[c];
        sql += ") FROM STDIN";
        PgResult start(PQexec(conn_.get(), sql.c_str()));
        if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) check(start.get(), "cannot start COPY");
        std::string buffer;
        buffer.reserve(kCopyChunk + 4096);
        bool sendFailed = false;
        for (std::size_t i = 0; i < values.size() && !sendFailed; ++i) {
            appendCopyText(buffer, values[i]);
            buffer += (i + 1) % columns.size() == 0 ? '\n' : '\t';
            if (buffer.size() >= kCopyChunk || i + 1 == values.size()) {
                sendFailed = PQputCopyData(conn_.get(), buffer.data(), static_cast<int>(buffer.size())) != 1;
                buffer.clear();
            }
        }
        // Ending with an error message makes the server abort the COPY, so nothing half-sent stays.
        if (PQputCopyEnd(conn_.get(), sendFailed ? "client failed to send the rows" : nullptr) != 1)
            throw ConnectionError("COPY into " + std::string(table) +
                                  " could not be ended: " + PQerrorMessage(conn_.get()));
        // Every result is read before reporting, so the session is ready for ROLLBACK.
        PgResult failed;
        for (PGresult* raw; (raw = PQgetResult(conn_.get())) != nullptr;) {
            PgResult res(raw);
            if (PQresultStatus(raw) == PGRES_COPY_IN)
                throw ConnectionError("COPY into " + std::string(table) + " did not end");
            if (PQresultStatus(raw) != PGRES_COMMAND_OK && !failed) failed = std::move(res);
        }
        if (failed) check(failed.get(), "COPY into " + std::string(table) + " failed");
    }

    // Reads see one snapshot across their statements (a sync's load is one consistent picture).
    void begin(TxMode mode) override {
        execScript(mode == TxMode::Read ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    }
    void commit() override { execScript("COMMIT"); }
    void rollback() override {
        if (broken()) return;
        if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) execScript("ROLLBACK");
    }
    bool broken() const override { return PQstatus(conn_.get()) != CONNECTION_OK; }

private:
    const std::string& prepared(std::string_view sql, std::size_t nparams) {
        auto it = names_.find(std::string(sql));
        if (it != names_.end()) return it->second;
        // Statements built for varying row counts would otherwise pile up on the server.
        if (names_.size() >= kMaxPrepared) {
            execScript("DEALLOCATE ALL");
            names_.clear();
        }
        std::string name = std::to_string(names_.size());
        name.insert(name.begin(), 's');  // built in place: g++ 12 warns falsely on "s" + string
        PgResult res(
            PQprepare(conn_.get(), name.c_str(), std::string(sql).c_str(), static_cast<int>(nparams), nullptr));
        check(res.get(), "cannot prepare statement");
        return names_.emplace(std::string(sql), std::move(name)).first->second;
    }

    /// Turns a failed result into the matching exception with PostgreSQL's own message.
    void check(PGresult* res, std::string_view context) {
        ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
        std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_.get());
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        msg = std::string(context) + ": " + msg;
        if (broken()) throw ConnectionError(msg);
        const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        if (state && std::strncmp(state, "23", 2) == 0) throw ConstraintViolation(msg);
        // Class 08 (connection exception) and 57P (operator intervention: shutdown) mean unreachable.
        if (state && (std::strncmp(state, "08", 2) == 0 || std::strncmp(state, "57P", 3) == 0))
            throw ConnectionError(msg);
        throw DbError(msg);
    }

    static ResultSet toResultSet(PGresult* res) {
        int nrows = PQntuples(res);
        int ncols = PQnfields(res);
        std::vector<std::string> columns;
        columns.reserve(static_cast<std::size_t>(ncols));
        for (int c = 0; c < ncols; ++c) columns.emplace_back(PQfname(res, c));
        std::vector<std::optional<std::string>> cells;
        cells.reserve(static_cast<std::size_t>(nrows) * static_cast<std::size_t>(ncols));
        for (int r = 0; r < nrows; ++r)
            for (int c = 0; c < ncols; ++c) {
                if (PQgetisnull(res, r, c))
                    cells.emplace_back(std::nullopt);
                else
                    cells.emplace_back(
                        std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
            }
        const char* tuples = PQcmdTuples(res);
        std::size_t affected = tuples && *tuples ? std::stoul(tuples) : 0;
        return ResultSet(std::move(columns), std::move(cells), affected);
    }

    static constexpr std::size_t kCopyChunk = 1 << 16;
    static constexpr std::size_t kMaxPrepared = 256;

    // COPY's text format: tab-separated, \N for NULL, backslash escapes for the separators.
    static void appendCopyText(std::string& out, const Value& v) {
        if (std::holds_alternative<std::nullptr_t>(v)) {
            out += "\\N";
        } else if (auto* n = std::get_if<std::int64_t>(&v)) {
            out += std::to_string(*n);
        } else if (auto* d = std::get_if<double>(&v)) {
            out += std::to_string(*d);
        } else {
            for (char c : std::get<std::string>(v)) {
                switch (c) {
                    case '\\':
                        out += "\\\\";
                        break;
                    case '\t':
                        out += "\\t";
                        break;
                    case '\n':
                        out += "\\n";
                        break;
                    case '\r':
                        out += "\\r";
                        break;
                    default:
                        out += c;
                }
            }
        }
    }

    PgConn conn_;
    std::unordered_map<std::string, std::string> names_;
};

}  // namespace

std::unique_ptr<Connection> openPostgres(const std::string& url) { return std::make_unique<PgConnection>(url); }

}  // namespace rosterd::db
