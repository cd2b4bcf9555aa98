#include "accounts/user_store.h"

#include "common/case_fold.h"
#include "common/errors.h"
#include "common/json_parse.h"
#include "db/placeholders.h"

namespace rosterd::accounts::user_store {

const char* const kColumns =
    "id, name, email, role, profile_image_url, source, active, is_primary, info, username, external_id, "
    "external_dn, created_at, updated_at, last_active_at, deactivated_at, password_signin_at, directory_link_allowed, "
    "session_generation, session_keep_jti, settings";

User rowToUser(const db::Row& r) {
    User u;
    u.id = r.str("id");
    u.name = r.str("name");
    u.email = r.str("email");
    u.role = roleFromRow(r.str("role"));
    u.profileImageUrl = r.str("profile_image_url");
    u.source = sourceFromRow(r.str("source"));
    u.active = r.boolean("active");
    u.isPrimary = r.boolean("is_primary");
    u.info = storedObject(r.str("info"));
    u.settings = storedObject(r.str("settings"));
    u.username = r.optStr("username");
    u.externalId = r.optStr("external_id");
    u.externalDn = r.optStr("external_dn");
    u.createdAt = r.i64("created_at");
    u.updatedAt = r.i64("updated_at");
    u.lastActiveAt = r.i64("last_active_at");
    u.deactivatedAt = r.optI64("deactivated_at");
    u.passwordSigninAt = r.optI64("password_signin_at");
    u.directoryLinkAllowed = r.boolean("directory_link_allowed");
    u.sessionGeneration = r.i64("session_generation");
    u.sessionKeepJti = r.optStr("session_keep_jti");
    return u;
}

namespace {
std::optional<User> one(db::Transaction& tx, const std::string& where, const std::string& value) {
    auto rs = tx.exec(std::string("SELECT ") + kColumns + " FROM users WHERE " + where + " = $1", {value});
    if (rs.empty()) return std::nullopt;
    return rowToUser(rs.front());
}
}  // namespace

std::optional<User> findById(db::Transaction& tx, const std::string& id) { return one(tx, "id", id); }
std::optional<User> findByEmail(db::Transaction& tx, const std::string& email) { return one(tx, "email", email); }
std::optional<User> findByExternalId(db::Transaction& tx, const std::string& externalId) {
    return one(tx, "external_id", externalId);
}

std::vector<User> findByIds(db::Transaction& tx, const std::vector<std::string>& ids) {
    constexpr std::size_t kPerQuery = 500;  // values per IN list, far below both drivers' limits
    std::vector<User> out;
    for (std::size_t b = 0; b < ids.size(); b += kPerQuery) {
        const std::size_t e = std::min(ids.size(), b + kPerQuery);
        db::Params p(ids.begin() + static_cast<std::ptrdiff_t>(b), ids.begin() + static_cast<std::ptrdiff_t>(e));
        for (auto row : tx.exec(
                 std::string("SELECT ") + kColumns + " FROM users WHERE id IN (" + db::placeholders(1, e - b) + ")", p))
            out.push_back(rowToUser(row));
    }
    return out;
}

bool exists(db::Transaction& tx, const std::string& id) {
    return !tx.exec("SELECT 1 FROM users WHERE id = $1", {id}).empty();
}

std::vector<User> findByUsername(db::Transaction& tx, const std::string& username) {
    std::vector<User> out;
    for (auto row : tx.exec(std::string("SELECT ") + kColumns +
                                " FROM users WHERE username IS NOT NULL AND lower(username) = lower($1) ORDER BY id",
                            {username}))
        out.push_back(rowToUser(row));
    return out;
}

std::int64_t count(db::Transaction& tx) { return tx.exec("SELECT count(*) FROM users").front().i64(0); }

bool primaryExists(db::Transaction& tx) { return !tx.exec("SELECT 1 FROM users WHERE is_primary = 1").empty(); }

std::optional<User> findPrimary(db::Transaction& tx) {
    auto rs = tx.exec(std::string("SELECT ") + kColumns + " FROM users WHERE is_primary = 1");
    if (rs.empty()) return std::nullopt;
    return rowToUser(rs.front());
}

std::optional<User> findAdminContact(db::Transaction& tx) {
    auto rs = tx.exec(std::string("SELECT ") + kColumns +
                      " FROM users ORDER BY is_primary DESC, created_at ASC, id ASC LIMIT 1");
    if (rs.empty()) return std::nullopt;
    return rowToUser(rs.front());
}

void makePrimaryAdmin(db::Transaction& tx, const std::string& id, std::int64_t now) {
    tx.exec("UPDATE users SET role = 'admin', is_primary = 1, updated_at = $2 WHERE id = $1", {id, now});
}

std::int64_t countActiveAdmins(db::Transaction& tx, const std::string& exceptId) {
    return tx.exec("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id <> $1", {exceptId})
        .front()
        .i64(0);
}

void insert(db::Transaction& tx, const User& u) {
    tx.exec(
        "INSERT INTO users (id, name, email, role, profile_image_url, source, active, is_primary, info, username, "
        "external_id, external_dn, created_at, updated_at, last_active_at, deactivated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        {u.id, u.name, u.email, db::val(roleName(u.role)), u.profileImageUrl, db::val(sourceName(u.source)),
         db::val(u.active), db::val(u.isPrimary), u.info.dump(), db::val(u.username), db::val(u.externalId),
         db::val(u.externalDn), u.createdAt, u.updatedAt, u.lastActiveAt, db::val(u.deactivatedAt)});
}

void update(db::Transaction& tx, const User& u) {
    tx.exec(
        "UPDATE users SET name = $2, email = $3, role = $4, profile_image_url = $5, source = $6, active = $7, "
        "info = $8, username = $9, external_id = $10, external_dn = $11, updated_at = $12, "
        "last_active_at = $13, deactivated_at = $14 WHERE id = $1",
        {u.id, u.name, u.email, db::val(roleName(u.role)), u.profileImageUrl, db::val(sourceName(u.source)),
         db::val(u.active), u.info.dump(), db::val(u.username), db::val(u.externalId), db::val(u.externalDn),
         u.updatedAt, u.lastActiveAt, db::val(u.deactivatedAt)});
}

bool remove(db::Transaction& tx, const std::string& id) {
    return tx.exec("DELETE FROM users WHERE id = $1", {id}).affected() > 0;
}

UserPage list(db::Transaction& tx, const UserQuery& q) {
    static const char* const allowed[] = {"name", "email", "role", "created_at", "last_active_at"};
    std::string orderBy = "created_at";
    for (const char* a : allowed)
        if (q.orderBy == a) orderBy = a;
    std::string where = " WHERE 1 = 1";
    db::Params params;
    if (!q.text.empty()) {
        // LIKE wildcards in the search text are matched literally.
        std::string pattern;
        for (char c : foldCase(q.text)) {  // emails are stored folded the same way
            if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
            pattern.push_back(c);
        }
        // Built in place: a temporary db::Value moved in trips a false -Wmaybe-uninitialized in GCC 12.
        params.emplace_back("%" + pattern + "%");
        where += " AND (lower(name) LIKE $1 ESCAPE '\\' OR email LIKE $1 ESCAPE '\\')";
    }
    if (q.groupId) {
        params.push_back(*q.groupId);
        where +=
            " AND id IN (SELECT user_id FROM group_members WHERE group_id = $" + std::to_string(params.size()) + ")";
    }
    if (q.role) {
        params.push_back(db::val(roleName(*q.role)));
        where += " AND role = $" + std::to_string(params.size());
    }
    if (q.source) {
        params.push_back(db::val(sourceName(*q.source)));
        where += " AND source = $" + std::to_string(params.size());
    }
    if (q.active) {
        params.push_back(db::val(*q.active));
        where += " AND active = $" + std::to_string(params.size());
    }
    UserPage page;
    page.total = tx.exec("SELECT count(*) FROM users" + where, params).front().i64(0);
    std::string sql = std::string("SELECT ") + kColumns + " FROM users" + where + " ORDER BY " + orderBy +
                      (q.descending ? " DESC" : " ASC") + ", id ASC";
    if (q.limit > 0) {
        params.push_back(static_cast<std::int64_t>(q.limit));
        sql += " LIMIT $" + std::to_string(params.size());
        params.push_back(static_cast<std::int64_t>(q.offset));
        sql += " OFFSET $" + std::to_string(params.size());
    }
    for (auto row : tx.exec(sql, params)) page.users.push_back(rowToUser(row));
    return page;
}

std::vector<User> pageByCreation(db::Transaction& tx, std::int64_t afterCreatedAt, const std::string& afterId,
                                 std::size_t limit) {
    std::vector<User> users;
    for (auto row : tx.exec(std::string("SELECT ") + kColumns +
                                " FROM users WHERE created_at > $1 OR (created_at = $1 AND id > $2) "
                                "ORDER BY created_at, id LIMIT $3",
                            {afterCreatedAt, afterId, static_cast<std::int64_t>(limit)}))
        users.push_back(rowToUser(row));
    return users;
}

std::vector<std::string> takenEmails(db::Transaction& tx, const std::vector<std::string>& emails) {
    constexpr std::size_t kPerQuery = 500;
    std::vector<std::string> taken;
    for (std::size_t b = 0; b < emails.size(); b += kPerQuery) {
        const std::size_t e = std::min(emails.size(), b + kPerQuery);
        db::Params p(emails.begin() + static_cast<std::ptrdiff_t>(b), emails.begin() + static_cast<std::ptrdiff_t>(e));
        for (auto row : tx.exec("SELECT email FROM users WHERE email IN (" + db::placeholders(1, e - b) + ")", p))
            taken.push_back(row.str(0));
    }
    return taken;
}

std::optional<std::string> passwordHash(db::Transaction& tx, const std::string& userId) {
    auto rs = tx.exec("SELECT password_hash FROM auths WHERE user_id = $1", {userId});
    if (rs.empty()) return std::nullopt;
    return rs.front().str(0);
}

void setPasswordHash(db::Transaction& tx, const std::string& userId, const std::string& hash) {
    tx.exec(
        "INSERT INTO auths (user_id, password_hash) VALUES ($1, $2) "
        "ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash",
        {userId, hash});
}

}  // namespace rosterd::accounts::user_store
