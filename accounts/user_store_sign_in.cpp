// The users gateway's sign-in state: single-column writes on one account (activity, sessions,
// the password sign-in mark, activation) and the local accounts a directory link may be refused.
#include "accounts/user_store.h"

namespace rosterd::accounts::user_store {

void setPasswordSigninAt(db::Transaction& tx, const std::string& userId, std::int64_t at) {
    tx.exec("UPDATE users SET password_signin_at = $2 WHERE id = $1", {userId, at});
}

void setLastActive(db::Transaction& tx, const std::string& userId, std::int64_t now) {
    tx.exec("UPDATE users SET last_active_at = $2 WHERE id = $1", {userId, now});
}

bool touchLastActive(db::Transaction& tx, const std::string& userId, std::int64_t now, std::int64_t notAfter) {
    return tx.exec("UPDATE users SET last_active_at = $2 WHERE id = $1 AND last_active_at <= $3",
                   {userId, now, notAfter})
               .affected() > 0;
}

void endSessions(db::Transaction& tx, const std::string& userId, const std::optional<std::string>& keepJti) {
    tx.exec("UPDATE users SET session_generation = session_generation + 1, session_keep_jti = $2 WHERE id = $1",
            {userId, db::val(keepJti)});
}

void endSessionsChanged(db::Transaction& tx, const std::string& userId, const std::optional<std::string>& keepJti,
                        std::int64_t now) {
    tx.exec(
        "UPDATE users SET updated_at = $2, session_generation = session_generation + 1, session_keep_jti = $3 "
        "WHERE id = $1",
        {userId, now, db::val(keepJti)});
}

void setDirectoryLinkAllowed(db::Transaction& tx, const std::string& userId, bool allowed, std::int64_t now) {
    tx.exec("UPDATE users SET directory_link_allowed = $2, updated_at = $3 WHERE id = $1",
            {userId, db::val(allowed), now});
}

void deactivate(db::Transaction& tx, const std::string& userId, std::int64_t now) {
    tx.exec("UPDATE users SET active = 0, deactivated_at = $2, updated_at = $2 WHERE id = $1", {userId, now});
}

void reactivate(db::Transaction& tx, const std::string& userId, std::int64_t now) {
    tx.exec("UPDATE users SET active = 1, deactivated_at = NULL, updated_at = $2 WHERE id = $1", {userId, now});
}

std::vector<User> localAccountsLinkMayRefuse(db::Transaction& tx) {
    std::vector<User> out;
    for (auto row : tx.exec(std::string("SELECT ") + kColumns +
                            " FROM users WHERE source = 'local' AND (role = 'admin' OR is_primary = 1 OR "
                            "(password_signin_at IS NOT NULL AND directory_link_allowed = 0))"))
        out.push_back(rowToUser(row));
    return out;
}

}  // namespace rosterd::accounts::user_store
