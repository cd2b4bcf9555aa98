#pragma once
// The sign-in policy, one for every door (password, directory, tokens and API keys): who may
// sign in, which local account a directory identity may take over, who becomes the primary admin,
// and the name under which attempts are counted.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "accounts/user.h"
#include "db/store.h"

namespace rosterd::accounts {

/// Trimmed (spaces, tabs) and ASCII case-folded: the directory matches login names case- and
/// space-insensitively, so attempts are counted under this form.
std::string normalizeLoginName(std::string_view raw);

/// Why `u` may not sign in through any door (deactivated), or nullopt when they may. Pending
/// accounts may sign in; what they reach is the routes' concern.
std::optional<std::string> signInRefusal(const User& u);

/// Why the directory policy ([ldap] allowed_groups / denied_groups) refuses the user, as recorded
/// when it deactivated them; nullopt when it does not.
std::optional<std::string> directoryRefusal(db::Transaction& tx, const std::string& userId);
/// Records (or replaces) the directory policy's refusal of the user. The caller deactivates them.
void recordDirectoryRefusal(db::Transaction& tx, const std::string& userId, const std::string& reason,
                            std::int64_t now);
/// Lifts the directory policy's refusal of the user; returns whether there was one.
bool clearDirectoryRefusal(db::Transaction& tx, const std::string& userId);

/// Why a directory identity may not be attached (by email) to the local account `u`, or nullopt
/// when it may: never to an admin (the primary admin above all), nor to an account that signed in
/// with its local password unless an admin allowed it (User::directoryLinkAllowed).
std::optional<std::string> linkRefusal(const User& u);

/// Every local account linkRefusal() refuses -> the reason (sync plans its links from this).
std::unordered_map<std::string, std::string> localLinkRefusals(db::Transaction& tx);

/// Whether an account with `email` created now becomes the primary admin: only while none exists,
/// and, when [auth] initial_admin_email is set, only for that email.
bool becomesPrimary(db::Transaction& tx, const std::string& email, const std::string& initialAdminEmail);

/// Makes the account with `initialAdminEmail` the primary admin when none exists; returns it when
/// it did. Empty email or no such account: nothing.
std::optional<User> promoteInitialAdmin(db::Transaction& tx, const std::string& initialAdminEmail, std::int64_t now);

}  // namespace rosterd::accounts
