// The users gateway's reads for directory sync: every account as a compact row (sync reads 100k
// users per run), the accounts a change set touches, and what the directory policy decides from.
#include "accounts/user_store.h"
#include "db/placeholders.h"

namespace rosterd::accounts::user_store {
namespace {

constexpr std::size_t kPerQuery = 500;  // values per IN list, far below both drivers' limits

// The columns DirectoryAccount is made of, then anything a caller adds (from column kAccountColumnCount
// on). A local account's picture (an upload of up to 256 KiB) is never compared, so it is never read.
const std::string kAccountColumns =
    "id, source, email, external_id, external_dn, username, name, active, deactivated_at, "
    "CASE WHEN source = 'ldap' THEN profile_image_url END AS profile_image_url, role, is_primary";
constexpr std::size_t kAccountColumnCount = 12;

// Hands row r of rs to onDirectory or onLocal, its cells moved out rather than copied.
void handOver(db::ResultSet& rs, std::size_t r, const OnDirectoryAccount& onDirectory, const OnLocalAccount& onLocal) {
    if (rs[r].str(1) == "ldap") {
        const bool active = rs[r].boolean(7);
        const auto deactivatedAt = rs[r].optI64(8);
        const std::size_t image = profileImageHash(rs.take(r, 9));
        const Role role = roleFromRow(rs[r].str(10));
        const bool primary = rs[r].boolean(11);
        onDirectory({rs.take(r, 0), rs.take(r, 3), rs.take(r, 4), rs.take(r, 5), rs.take(r, 2), rs.take(r, 6), active,
                     deactivatedAt, image, role, primary});
    } else {
        onLocal(rs.take(r, 2), rs.take(r, 0));
    }
}

// Runs `sqlPrefix IN (...)` over `values` in chunks and hands every row over.
void selectIn(db::Transaction& tx, const std::string& sqlPrefix, const std::vector<std::string>& values,
              const OnDirectoryAccount& onDirectory, const OnLocalAccount& onLocal) {
    for (std::size_t b = 0; b < values.size(); b += kPerQuery) {
        std::size_t e = std::min(values.size(), b + kPerQuery);
        db::Params p(values.begin() + static_cast<std::ptrdiff_t>(b), values.begin() + static_cast<std::ptrdiff_t>(e));
        auto rs = tx.exec(sqlPrefix + " IN (" + db::placeholders(1, e - b) + ")", p);
        for (std::size_t r = 0; r < rs.size(); ++r) handOver(rs, r, onDirectory, onLocal);
    }
}

PolicyState policyStateOf(const db::Row& row) {
    return {row.str("external_id"),    row.str("id"),         roleFromRow(row.str("role")),
            row.boolean("is_primary"), row.boolean("active"), row.optStr("reason").value_or("")};
}

}  // namespace

std::size_t profileImageHash(std::string_view url) { return std::hash<std::string_view>{}(url); }

bool anyDirectoryAccount(db::Transaction& tx) {
    return !tx.exec("SELECT 1 FROM users WHERE source = 'ldap' LIMIT 1").empty();
}

void scanAccounts(db::Transaction& tx, std::size_t pageSize, const OnDirectoryAccount& onDirectory,
                  const OnLocalAccount& onLocal) {
    // Keyset pages in the table's own order: SQLite's rowid (a walk of the table itself, where
    // the primary key's order would look every row up through its index), the primary key on
    // PostgreSQL.
    const bool sqlite = tx.driver() == db::Driver::Sqlite;
    const auto limit = static_cast<std::int64_t>(pageSize);
    db::Value after = sqlite ? db::Value(std::int64_t(0)) : db::Value(std::string());
    const std::string select =
        "SELECT " + kAccountColumns + ", " +
        (sqlite ? "rowid FROM users WHERE rowid > $1 ORDER BY rowid" : "id FROM users WHERE id > $1 ORDER BY id") +
        " LIMIT $2";
    for (;;) {
        auto rs = tx.exec(select, {after, limit});
        if (rs.empty()) break;
        const auto& last = rs[rs.size() - 1];
        after = sqlite ? db::Value(last.i64(kAccountColumnCount)) : db::Value(last.str(kAccountColumnCount));
        for (std::size_t r = 0; r < rs.size(); ++r) handOver(rs, r, onDirectory, onLocal);
        if (rs.size() < pageSize) break;
    }
}

void accountsByExternalIdOrEmail(db::Transaction& tx, const std::vector<std::string>& externalIds,
                                 const std::vector<std::string>& emails, const OnDirectoryAccount& onDirectory,
                                 const OnLocalAccount& onLocal) {
    const std::string select = "SELECT " + kAccountColumns + " FROM users WHERE ";
    selectIn(tx, select + "external_id", externalIds, onDirectory, onLocal);
    selectIn(tx, select + "email", emails, onDirectory, onLocal);
}

std::vector<std::string> activeDirectoryExternalIds(db::Transaction& tx) {
    std::vector<std::string> out;
    for (auto row : tx.exec("SELECT external_id FROM users WHERE source = 'ldap' AND active = 1"))
        out.push_back(row.str(0));
    return out;
}

std::int64_t countActiveDirectoryAccounts(db::Transaction& tx) {
    return tx.exec("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1").front().i64(0);
}

std::unordered_map<std::string, std::string> directoryAccessRefusals(db::Transaction& tx) {
    std::unordered_map<std::string, std::string> out;
    for (auto row : tx.exec("SELECT user_id, reason FROM directory_access_refusals"))
        out.emplace(row.str(0), row.str(1));
    return out;
}

std::vector<PolicyState> policyStates(db::Transaction& tx, const std::vector<std::string>& ids) {
    std::vector<PolicyState> out;
    for (std::size_t b = 0; b < ids.size(); b += kPerQuery) {
        const std::size_t e = std::min(ids.size(), b + kPerQuery);
        db::Params p(ids.begin() + static_cast<std::ptrdiff_t>(b), ids.begin() + static_cast<std::ptrdiff_t>(e));
        for (auto row : tx.exec("SELECT '' AS external_id, id, role, is_primary, active, NULL AS reason FROM users "
                                "WHERE id IN (" +
                                    db::placeholders(1, e - b) + ")",
                                p))
            out.push_back(policyStateOf(row));
    }
    return out;
}

std::vector<PolicyState> activeAdmins(db::Transaction& tx) {
    std::vector<PolicyState> out;
    for (auto row : tx.exec("SELECT '' AS external_id, id, role, is_primary, active, NULL AS reason FROM users "
                            "WHERE role = 'admin' AND active = 1 ORDER BY is_primary DESC, created_at, id"))
        out.push_back(policyStateOf(row));
    return out;
}

}  // namespace rosterd::accounts::user_store
