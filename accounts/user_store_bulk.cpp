// The users gateway's bulk operations: what directory sync writes, a batch per statement.
#include "accounts/user_store.h"
#include "db/placeholders.h"

namespace rosterd::accounts::user_store {
namespace {

// A new directory account has the default info and is never the primary admin: the columns
// holding those are left to their defaults, which keeps the bulk rows narrow.
const std::vector<std::string> kInsertColumns = {
    "id",          "name",        "email",      "role",       "source",         "active",           "username",
    "external_id", "external_dn", "created_at", "updated_at", "last_active_at", "profile_image_url"};

std::vector<User> usersOf(const db::ResultSet& rs) {
    std::vector<User> out;
    for (auto row : rs) out.push_back(rowToUser(row));
    return out;
}

// One UPDATE joined to a VALUES list of (id, external id, dn, username, name, email, picture),
// which the statement names column1..column7 (a NULL picture keeps the stored one); $1 is the time.
std::vector<User> updateJoined(db::Transaction& tx, const std::vector<DirectoryValues>& v, std::int64_t now,
                               const std::string& set, const char* where) {
    if (v.empty()) return {};
    constexpr std::size_t kCols = 7;
    db::Params p;
    p.reserve(v.size() * kCols + 1);
    p.push_back(now);
    for (const auto& d : v)
        p.insert(p.end(), {d.id, d.externalId, d.dn, d.username, d.name, d.email, db::val(d.profileImageUrl)});
    // RETURNING names users' columns unqualified: the VALUES list's are column1..column7.
    return usersOf(tx.exec("UPDATE users SET " + set + " FROM (VALUES " + db::valueRows(v.size(), kCols, 1) +
                               ") AS v WHERE users.id = v.column1 AND " + where + " RETURNING " + kColumns,
                           p));
}

}  // namespace

void appendInsertRow(db::Params& rows, const User& u) {
    rows.insert(rows.end(), {u.id, u.name, u.email, db::val(roleName(u.role)), db::val(sourceName(u.source)),
                             db::val(u.active), db::val(u.username), db::val(u.externalId), db::val(u.externalDn),
                             u.createdAt, u.updatedAt, u.lastActiveAt, u.profileImageUrl});
}

void insertMany(db::Transaction& tx, const db::Params& rows) { tx.insertRows("users", kInsertColumns, rows); }

std::vector<User> linkToDirectory(db::Transaction& tx, const std::vector<DirectoryValues>& v, std::int64_t now) {
    return updateJoined(tx, v, now,
                        "source = 'ldap', external_id = v.column2, external_dn = v.column3, username = v.column4, "
                        "name = v.column5, profile_image_url = COALESCE(v.column7, users.profile_image_url), "
                        "updated_at = $1",
                        "users.source = 'local'");
}

std::vector<User> updateFromDirectory(db::Transaction& tx, const std::vector<DirectoryValues>& v, std::int64_t now) {
    return updateJoined(tx, v, now,
                        "external_dn = v.column3, username = v.column4, name = v.column5, email = v.column6, "
                        "profile_image_url = COALESCE(v.column7, users.profile_image_url), "
                        // A user the directory policy refuses stays deactivated whatever else changed.
                        "active = CASE WHEN EXISTS (SELECT 1 FROM directory_access_refusals r WHERE r.user_id = "
                        "users.id) THEN users.active ELSE 1 END, deactivated_at = CASE WHEN EXISTS (SELECT 1 FROM "
                        "directory_access_refusals r WHERE r.user_id = users.id) THEN users.deactivated_at ELSE NULL "
                        "END, updated_at = $1",
                        "users.source = 'ldap'");
}

std::vector<User> deactivateDirectoryUsers(db::Transaction& tx, const std::vector<std::string>& ids, std::int64_t now) {
    if (ids.empty()) return {};
    db::Params p{now};
    p.insert(p.end(), ids.begin(), ids.end());
    return usersOf(
        tx.exec("UPDATE users SET active = 0, deactivated_at = $1, updated_at = $1 WHERE source = 'ldap' "
                "AND active = 1 AND id IN (" +
                    db::placeholders(2, ids.size()) + ") RETURNING " + kColumns,
                p));
}

std::vector<User> deleteInactiveDirectoryUsers(db::Transaction& tx, const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    db::Params p(ids.begin(), ids.end());
    return usersOf(tx.exec("DELETE FROM users WHERE source = 'ldap' AND active = 0 AND id IN (" +
                               db::placeholders(1, ids.size()) + ") RETURNING " + kColumns,
                           p));
}

std::vector<std::string> setRoles(db::Transaction& tx, Role role, const std::vector<std::string>& ids,
                                  std::int64_t now) {
    std::vector<std::string> changed;
    if (ids.empty()) return changed;
    db::Params p{db::val(roleName(role)), now};
    p.insert(p.end(), ids.begin(), ids.end());
    // Never the primary admin, even if it became one since the caller decided.
    for (auto row : tx.exec("UPDATE users SET role = $1, updated_at = $2 WHERE is_primary = 0 AND role <> $1 "
                            "AND id IN (" +
                                db::placeholders(3, ids.size()) + ") RETURNING id",
                            p))
        changed.push_back(row.str(0));
    return changed;
}

std::vector<User> denyDirectoryUsers(db::Transaction& tx, const std::vector<std::string>& ids, std::int64_t now) {
    if (ids.empty()) return {};
    db::Params p{now};
    p.insert(p.end(), ids.begin(), ids.end());
    return usersOf(
        tx.exec("UPDATE users SET active = 0, deactivated_at = $1, updated_at = $1 WHERE source = 'ldap' "
                "AND active = 1 AND is_primary = 0 AND id IN (" +
                    db::placeholders(2, ids.size()) + ") RETURNING " + kColumns,
                p));
}

}  // namespace rosterd::accounts::user_store
