#include "accounts/sign_in_policy.h"

#include <spdlog/spdlog.h>

#include "accounts/user_store.h"
#include "common/log_safe.h"

namespace rosterd::accounts {

std::string normalizeLoginName(std::string_view raw) {
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!raw.empty() && blank(raw.front())) raw.remove_prefix(1);
    while (!raw.empty() && blank(raw.back())) raw.remove_suffix(1);
    std::string out(raw);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<std::string> signInRefusal(const User& u) {
    if (!u.active) return "the account is deactivated";
    return std::nullopt;
}

std::optional<std::string> directoryRefusal(db::Transaction& tx, const std::string& userId) {
    auto rs = tx.exec("SELECT reason FROM directory_access_refusals WHERE user_id = $1", {userId});
    if (rs.empty()) return std::nullopt;
    return rs.front().str(0);
}

void recordDirectoryRefusal(db::Transaction& tx, const std::string& userId, const std::string& reason,
                            std::int64_t now) {
    tx.exec(
        "INSERT INTO directory_access_refusals (user_id, reason, refused_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason, refused_at = excluded.refused_at",
        {userId, reason, now});
}

bool clearDirectoryRefusal(db::Transaction& tx, const std::string& userId) {
    return tx.exec("DELETE FROM directory_access_refusals WHERE user_id = $1", {userId}).affected() > 0;
}

std::optional<std::string> linkRefusal(const User& u) {
    if (u.isPrimary) return "it is the primary admin";
    if (u.role == Role::Admin) return "it is an admin account";
    if (u.passwordSigninAt && !u.directoryLinkAllowed)
        return "it has signed in with a local password and no admin allowed linking it";
    return std::nullopt;
}

std::unordered_map<std::string, std::string> localLinkRefusals(db::Transaction& tx) {
    // Only rows linkRefusal() could refuse are read: a sync reads this on every run.
    std::unordered_map<std::string, std::string> out;
    for (const User& u : user_store::localAccountsLinkMayRefuse(tx))
        if (auto why = linkRefusal(u)) out.emplace(u.id, *why);
    return out;
}

bool becomesPrimary(db::Transaction& tx, const std::string& email, const std::string& initialAdminEmail) {
    if (!initialAdminEmail.empty() && email != initialAdminEmail) return false;
    return !user_store::primaryExists(tx);
}

std::optional<User> promoteInitialAdmin(db::Transaction& tx, const std::string& initialAdminEmail, std::int64_t now) {
    if (initialAdminEmail.empty() || user_store::primaryExists(tx)) return std::nullopt;
    auto u = user_store::findByEmail(tx, initialAdminEmail);
    if (!u) return std::nullopt;
    user_store::makePrimaryAdmin(tx, u->id, now);
    spdlog::warn("user {} <{}> is now the primary admin ([auth] initial_admin_email)", u->id, logSafe(u->email));
    return user_store::findById(tx, u->id);
}

}  // namespace rosterd::accounts
