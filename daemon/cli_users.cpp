// `rosterd users import FILE.csv | --template`, `rosterd users export [--output FILE]` and
// `rosterd users create-admin --email E --name N [--password-file F]`.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "accounts/password_hasher.h"
#include "accounts/primary_admin.h"
#include "accounts/user_export.h"
#include "accounts/user_import.h"
#include "common/clock.h"
#include "common/csv_writer.h"
#include "common/errors.h"
#include "common/metrics.h"
#include "daemon/cli.h"
#include "daemon/password_input.h"
#include "daemon/sqlite_ownership.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::daemon {

namespace {

std::string formatSeconds(double s) {
    if (!(s > 0) || !std::isfinite(s)) return "--";
    long t = std::lround(s);
    char buf[32];
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
    else if (t >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", t);
    return buf;
}

/// The progress display: a redrawn bar on a terminal, a plain line every few seconds otherwise.
class ProgressPrinter {
public:
    explicit ProgressPrinter(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}

    void update(const accounts::ImportProgress& p) {
        auto now = std::chrono::steady_clock::now();
        bool finished = p.done == p.total;
        char line[200];
        if (terminal_) {
            if (!finished && now - last_ < std::chrono::milliseconds(100)) return;
            constexpr int width = 30;
            int filled = p.total ? static_cast<int>(width * p.done / p.total) : width;
            std::string bar(static_cast<std::size_t>(filled), '#');
            bar.resize(width, ' ');
            std::snprintf(line, sizeof line, "\r[%s] %zu/%zu rows  %.1f rows/s  ETA %s  %zu failed ", bar.c_str(),
                          p.done, p.total, p.rowsPerSecond, formatSeconds(p.etaSeconds).c_str(), p.failed);
            out_ << line << (finished ? "\n" : "") << std::flush;
        } else {
            if (!finished && started_ && now - last_ < std::chrono::seconds(5)) return;
            std::snprintf(line, sizeof line, "progress: %zu/%zu rows done, %zu failed, %.1f rows/s, ETA %s\n", p.done,
                          p.total, p.failed, p.rowsPerSecond, finished ? "0s" : formatSeconds(p.etaSeconds).c_str());
            out_ << line << std::flush;
        }
        started_ = true;
        last_ = now;
    }

private:
    std::ostream& out_;
    bool terminal_;
    bool started_ = false;
    std::chrono::steady_clock::time_point last_{};
};

/// users.csv -> users.errors.csv; other names get ".errors.csv" appended.
std::string errorsFileFor(const std::string& path) {
    const std::string ext = ".csv";
    if (path.size() > ext.size()) {
        std::string tail = path.substr(path.size() - ext.size());
        for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (tail == ext) return path.substr(0, path.size() - ext.size()) + ".errors.csv";
    }
    return path + ".errors.csv";
}

/// The failed rows with their number and reason first, then the cells as read (passwords included,
/// so that the file can be corrected and imported again; hence mode 0600).
void writeErrorsFile(const std::string& path, const accounts::ImportResult& result) {
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error("cannot write " + tmp + ": " + std::strerror(errno));
        ::chmod(tmp.c_str(), 0600);
        csv::CsvWriter w(out, csv::WriterOptions{"\r\n", false});
        std::vector<std::string> header = {"Row", "Error"};
        header.insert(header.end(), result.header.begin(), result.header.end());
        w.writeRow(header);
        for (const auto& r : result.rows) {
            if (r.created) continue;
            std::vector<std::string> cells = {std::to_string(r.row), r.detail};
            cells.insert(cells.end(), r.cells.begin(), r.cells.end());
            w.writeRow(cells);
        }
        out.flush();
        if (!out) throw Error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, path);
}

std::string readWholeFile(const std::string& path, std::size_t maxBytes) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) throw InvalidInput("cannot read " + path + ": " + ec.message());
    if (size > maxBytes)
        throw PayloadTooLarge(path + " is " + std::to_string(size) + " bytes; imports are limited to " +
                              std::to_string(maxBytes) + " bytes ([import] max_bytes)");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InvalidInput("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

int runUsersImport(CliContext& ctx) {
    if (ctx.args.size() == 1 && ctx.args[0] == "--template") {
        std::cout << accounts::kImportTemplate;
        return kExitOk;
    }
    if (ctx.args.size() != 1 || ctx.args[0].empty() || ctx.args[0][0] == '-') {
        std::cerr << "usage: rosterd users import FILE.csv | --template\n";
        return kExitUsage;
    }
    const std::string path = ctx.args[0];
    Config config = ctx.loadConfig();
    setupLogging("warn");  // info lines would break the progress bar
    std::string text;
    try {
        text = readWholeFile(path, config.import.maxBytes);
    } catch (const Error& e) {
        std::cerr << "rosterd: " << e.what() << "\n";
        return kExitFailure;
    }

    SystemClock clock;
    auto store = db::Store::open(config.database);
    store->migrate();
    webhooks::Outbox outbox(clock);
    accounts::PasswordHasher hasher(config.auth.bcryptCost);
    accounts::HashPool pool(config.import.threads);
    Metrics metrics;
    accounts::UserImporter importer(*store, outbox, clock, hasher, config.auth.passwordMinLength, config.import, pool,
                                    metrics);
    ProgressPrinter printer(std::cerr, ::isatty(STDERR_FILENO) == 1);
    accounts::ImportResult result;
    try {
        result = importer.run(text, [&](const accounts::ImportProgress& p) { printer.update(p); });
    } catch (const InvalidInput& e) {
        std::cerr << "rosterd: " << path << " was not imported: " << e.what() << "\n";
        return kExitFailure;
    }

    std::string errorsPath = errorsFileFor(path);
    constexpr std::size_t kListed = 20;
    std::size_t listed = 0;
    for (const auto& r : result.rows) {
        if (r.created) continue;
        if (listed++ == kListed) {
            std::cout << "... and " << (result.failed - kListed) << " more\n";
            break;
        }
        std::cout << "row " << r.row << (r.email.empty() ? "" : " <" + r.email + ">") << ": " << r.detail << "\n";
    }
    std::cout << "imported " << path << ": " << result.rows.size() << " rows, " << result.created << " created, "
              << result.failed << " failed\n";
    std::error_code ec;
    if (result.failed > 0) {
        writeErrorsFile(errorsPath, result);
        std::cout << "failed rows written to " << errorsPath << "\n";
        return kExitPartial;
    }
    std::filesystem::remove(errorsPath, ec);  // a stale one from an earlier run would mislead
    return kExitOk;
}

int runUsersExport(CliContext& ctx) {
    std::string output;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if ((a == "--output" || a == "-o") && i + 1 < ctx.args.size())
            output = ctx.args[++i];
        else if (a.rfind("--output=", 0) == 0)
            output = a.substr(9);
        else {
            std::cerr << "usage: rosterd users export [--output FILE]\n";
            return kExitUsage;
        }
    }
    Config config = ctx.loadConfig();
    setupLogging("warn");
    auto store = db::Store::open(config.database);
    store->migrate();
    if (output.empty() || output == "-") {
        std::size_t n = accounts::exportUsers(*store, std::cout);
        std::cout.flush();
        std::cerr << "exported " << n << " users\n";
        return std::cout ? kExitOk : kExitFailure;
    }
    // Written aside and renamed, so that FILE is either the old file or the complete new one.
    std::string tmp = output + ".tmp";
    std::size_t n = 0;
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error("cannot write " + tmp + ": " + std::strerror(errno));
        n = accounts::exportUsers(*store, out);
        out.flush();
        if (!out) throw Error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, output);
    std::cerr << "exported " << n << " users to " << output << "\n";
    return kExitOk;
}

}  // namespace rosterd::daemon

namespace rosterd::daemon {

int runUsersCreateAdmin(CliContext& ctx) {
    std::string email, name, passwordFile;
    auto usage = [] {
        std::cerr << "usage: rosterd users create-admin --email E --name N [--password-file F]  "
                     "(password on stdin otherwise)\n";
        return kExitUsage;
    };
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        bool hasValue = i + 1 < ctx.args.size();
        if (a == "--email" && hasValue)
            email = ctx.args[++i];
        else if (a == "--name" && hasValue)
            name = ctx.args[++i];
        else if (a == "--password-file" && hasValue)
            passwordFile = ctx.args[++i];
        else
            return usage();
    }
    if (email.empty() || name.empty()) return usage();
    Config config = ctx.loadConfig();
    setupLogging("warn");
    try {
        std::string password = readPassword(passwordFile);
        SystemClock clock;
        SqliteOwnership ownership(config.database);  // run as root: the files stay the service user's
        auto store = db::Store::open(config.database);
        store->migrate();
        webhooks::Outbox outbox(clock);
        accounts::PasswordHasher hasher(config.auth.bcryptCost);
        auto u = accounts::createPrimaryAdmin(*store, outbox, clock, hasher, config.auth.passwordMinLength, name, email,
                                              password);
        store.reset();
        std::cout << "created the primary admin " << u.email << " (" << u.id << ")\n";
        if (auto note = ownership.restore()) std::cout << *note << "\n";
        return kExitOk;
    } catch (const InvalidInput& e) {
        std::cerr << "rosterd: " << e.what() << "\n";
        return kExitFailure;
    } catch (const Conflict& e) {
        std::cerr << "rosterd: " << e.what() << "\n";
        return kExitFailure;
    }
}

}  // namespace rosterd::daemon
