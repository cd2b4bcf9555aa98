#include "accounts/user_export.h"

#include <ctime>

#include "accounts/user_store.h"
#include "common/csv_writer.h"

namespace rosterd::accounts {

// Username and DN come last: files that read columns by position before they existed still work.
const char* const kExportColumns[10] = {"ID",     "Name",       "Email",          "Role",     "Source",
                                        "Active", "Created At", "Last Active At", "Username", "DN"};

namespace {
std::string formatUtc(std::int64_t epochSeconds, const char* format) {
    std::time_t t = static_cast<std::time_t>(epochSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return std::string(buf, n);
}
}  // namespace

std::string isoUtc(std::int64_t epochSeconds) { return formatUtc(epochSeconds, "%Y-%m-%dT%H:%M:%SZ"); }

std::string exportFileName(std::int64_t epochSeconds) {
    return "users-" + formatUtc(epochSeconds, "%Y%m%dT%H%M%SZ") + ".csv";
}

std::size_t exportUsers(db::Store& store, std::ostream& out, std::size_t pageSize) {
    if (pageSize == 0) pageSize = 1000;
    csv::CsvWriter writer(out);
    writer.writeRow(std::vector<std::string>(std::begin(kExportColumns), std::end(kExportColumns)));
    // Keyset paging on (created_at, id): stable while users are added, and each page is a short
    // read transaction rather than one held for the whole download.
    std::int64_t afterCreated = INT64_MIN;
    std::string afterId;
    std::size_t written = 0;
    for (;;) {
        std::vector<User> page = store.transact(
            [&](db::Transaction& tx) { return user_store::pageByCreation(tx, afterCreated, afterId, pageSize); },
            db::TxMode::Read);
        for (const User& u : page) {
            writer.writeRow({u.id, u.name, u.email, std::string(roleName(u.role)), std::string(sourceName(u.source)),
                             u.active ? "true" : "false", isoUtc(u.createdAt),
                             u.lastActiveAt > 0 ? isoUtc(u.lastActiveAt) : "", u.username.value_or(""),
                             u.externalDn.value_or("")});
        }
        written += page.size();
        if (!out) break;  // the reader went away
        if (page.size() < pageSize) break;
        afterCreated = page.back().createdAt;
        afterId = page.back().id;
    }
    return written;
}

}  // namespace rosterd::accounts
