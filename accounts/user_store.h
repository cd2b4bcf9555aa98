#pragma once
// Reading and writing users inside a caller's transaction: the one place statements on the users
// table are written (user_store*.cpp).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "accounts/user.h"
#include "db/store.h"

namespace rosterd::accounts {

struct UserQuery {
    std::string text;                    ///< matches name or email, case-insensitively; empty = all
    std::string orderBy = "created_at";  ///< name, email, role, created_at, last_active_at
    bool descending = false;
    std::size_t offset = 0;
    std::size_t limit = 30;              ///< 0 = no limit
    std::optional<std::string> groupId;  ///< only members of this group
    std::optional<Role> role;            ///< only users with this role
    std::optional<Source> source;        ///< only local or only directory users
    std::optional<bool> active;          ///< only active (true) or only deactivated (false) users
};

struct UserPage {
    std::vector<User> users;
    std::int64_t total = 0;
};

namespace user_store {

/// The column list matching rowToUser.
extern const char* const kColumns;
User rowToUser(const db::Row& row);

std::optional<User> findById(db::Transaction& tx, const std::string& id);
std::optional<User> findByEmail(db::Transaction& tx, const std::string& email);
std::optional<User> findByExternalId(db::Transaction& tx, const std::string& externalId);
/// The users among `ids` (in no particular order; ids that do not exist are skipped).
std::vector<User> findByIds(db::Transaction& tx, const std::vector<std::string>& ids);
/// Whether a user with this id exists.
bool exists(db::Transaction& tx, const std::string& id);
/// Directory users whose login name is `username` (case-insensitively); several may share one.
std::vector<User> findByUsername(db::Transaction& tx, const std::string& username);
std::int64_t count(db::Transaction& tx);
/// Whether a primary admin exists (at most one can: a unique index).
bool primaryExists(db::Transaction& tx);
/// The primary admin, when there is one.
std::optional<User> findPrimary(db::Transaction& tx);
/// The primary admin, or else the oldest account: whom users are told to ask.
std::optional<User> findAdminContact(db::Transaction& tx);
/// Makes the user an admin and the primary admin; throws ConstraintViolation when one exists.
void makePrimaryAdmin(db::Transaction& tx, const std::string& id, std::int64_t now);
/// Active admins other than `exceptId`.
std::int64_t countActiveAdmins(db::Transaction& tx, const std::string& exceptId = "");
/// Inserts; throws ConstraintViolation when the email (or external id) is taken.
void insert(db::Transaction& tx, const User& u);
/// Writes every mutable field of `u` (by id).
void update(db::Transaction& tx, const User& u);
/// Deletes the user; memberships, credentials and keys go with it (foreign keys cascade).
bool remove(db::Transaction& tx, const std::string& id);
UserPage list(db::Transaction& tx, const UserQuery& q);
/// Up to `limit` users after (afterCreatedAt, afterId) in (created_at, id) order: keyset pages
/// that stay stable while users are added.
std::vector<User> pageByCreation(db::Transaction& tx, std::int64_t afterCreatedAt, const std::string& afterId,
                                 std::size_t limit);
/// The emails among `emails` that accounts hold already.
std::vector<std::string> takenEmails(db::Transaction& tx, const std::vector<std::string>& emails);

/// The JSON documents a client keeps per user: Open WebUI's user settings and info.
enum class ClientData { Settings, Info };
/// A user's document (an object, {} when never set); nullopt when the user does not exist.
std::optional<nlohmann::json> clientData(db::Transaction& tx, const std::string& userId, ClientData which);
/// Replaces a user's document; false when the user does not exist.
bool setClientData(db::Transaction& tx, const std::string& userId, ClientData which, const nlohmann::json& value,
                   std::int64_t now);

std::optional<std::string> passwordHash(db::Transaction& tx, const std::string& userId);
void setPasswordHash(db::Transaction& tx, const std::string& userId, const std::string& hash);

// ---- Sign-in state: single-column writes, in user_store_sign_in.cpp ----

/// Records a sign-in (or signup) with a local password at `at`.
void setPasswordSigninAt(db::Transaction& tx, const std::string& userId, std::int64_t at);
/// Sets last_active_at to `now`.
void setLastActive(db::Transaction& tx, const std::string& userId, std::int64_t now);
/// Sets last_active_at to `now` unless it moved past `notAfter` meanwhile; false when it did not write.
bool touchLastActive(db::Transaction& tx, const std::string& userId, std::int64_t now, std::int64_t notAfter);
/// Ends every session of the user but `keepJti`'s (none: every one), as a password change does.
void endSessions(db::Transaction& tx, const std::string& userId, const std::optional<std::string>& keepJti);
/// endSessions, and updated_at = now (the user changed their own password).
void endSessionsChanged(db::Transaction& tx, const std::string& userId, const std::optional<std::string>& keepJti,
                        std::int64_t now);
/// An admin's permission (or refusal) for a directory entry to take over this local account.
void setDirectoryLinkAllowed(db::Transaction& tx, const std::string& userId, bool allowed, std::int64_t now);
/// Deactivates one account (deactivated_at = updated_at = now).
void deactivate(db::Transaction& tx, const std::string& userId, std::int64_t now);
/// Activates one account again (deactivated_at cleared, updated_at = now).
void reactivate(db::Transaction& tx, const std::string& userId, std::int64_t now);
/// The local accounts a directory entry may be refused to take over (admins, the primary admin,
/// accounts that signed in with a password and no admin allowed a link): the rows
/// sign_in_policy's linkRefusal could refuse, read on every sync.
std::vector<User> localAccountsLinkMayRefuse(db::Transaction& tx);

// ---- Labels: how a user is named to a reader, in user_store_labels.cpp ----

/// The fields that name a user to a reader (a sync plan's changes).
struct UserLabel {
    std::string id, email;
    std::optional<std::string> username;
    std::string name;
    std::optional<std::string> dn;  ///< external_dn: directory users only
};
/// The labels of the users among `ids` (in no particular order; ids that do not exist are skipped),
/// a few hundred ids per statement and none of the rest of the row.
std::vector<UserLabel> labelsByIds(db::Transaction& tx, const std::vector<std::string>& ids);

// ---- Bulk operations (directory sync): multi-row statements, in user_store_bulk.cpp ----

/// Appends `u` as one row of a bulk insert onto `rows` (thread-safe; touches no store). For new
/// directory accounts: the picture and info stay the defaults and the row is never the primary admin.
void appendInsertRow(db::Params& rows, const User& u);
/// Inserts rows made by appendInsertRow in one statement; throws ConstraintViolation on a taken
/// email or external id (nothing of the batch is then written).
void insertMany(db::Transaction& tx, const db::Params& rows);

/// What the directory says of a user that exists here.
struct DirectoryValues {
    std::string id;  ///< the user's id here
    std::string externalId, dn, username, name, email;
    std::optional<std::string> profileImageUrl{};  ///< nullopt: the stored picture stays
};
/// Makes local users directory users (source, external id, dn, username, name) in one
/// statement; returns the rows it changed, after the change (a user gone or linked since is skipped).
std::vector<User> linkToDirectory(db::Transaction& tx, const std::vector<DirectoryValues>& v, std::int64_t now);
/// Writes dn, username, name and email of directory users and makes them active, in one
/// statement; returns the rows it changed, after the change.
std::vector<User> updateFromDirectory(db::Transaction& tx, const std::vector<DirectoryValues>& v, std::int64_t now);
/// Deactivates the active directory users among `ids`; returns them after the change.
std::vector<User> deactivateDirectoryUsers(db::Transaction& tx, const std::vector<std::string>& ids, std::int64_t now);
/// Deletes the inactive directory users among `ids`; returns them as they were.
std::vector<User> deleteInactiveDirectoryUsers(db::Transaction& tx, const std::vector<std::string>& ids);
/// Gives the users among `ids` the role `role`, except the primary admin and those that have it
/// already, in one statement; returns the ids it changed.
std::vector<std::string> setRoles(db::Transaction& tx, Role role, const std::vector<std::string>& ids,
                                  std::int64_t now);
/// Deactivates the active directory users among `ids` whom the directory policy refuses (never
/// the primary admin); returns them after the change.
std::vector<User> denyDirectoryUsers(db::Transaction& tx, const std::vector<std::string>& ids, std::int64_t now);

// ---- Bulk reads for directory sync, in user_store_directory_reads.cpp ----

/// A directory account as sync compares it with its entry.
struct DirectoryAccount {
    std::string id;
    std::string externalId;
    std::string dn;
    std::string username;
    std::string email;
    std::string name;
    bool active = true;
    std::optional<std::int64_t> deactivatedAt = std::nullopt;
    /// profileImageHash(profile_image_url): sync compares a directory photo without holding the
    /// stored pictures (up to 256 KiB each) of every account.
    std::size_t profileImageHash = 0;
    /// What the directory policy decides from (read in the same pass: the policy then needs no
    /// second read of every account).
    Role role = Role::Pending;
    bool isPrimary = false;
};
/// The hash DirectoryAccount::profileImageHash holds of a profile_image_url.
std::size_t profileImageHash(std::string_view url);
/// Receives a directory account (moved out of the result: take it).
using OnDirectoryAccount = std::function<void(DirectoryAccount&&)>;
/// Receives a local account's email and id (moved out of the result).
using OnLocalAccount = std::function<void(std::string&& email, std::string&& id)>;

/// Whether any directory account exists (one indexed lookup).
bool anyDirectoryAccount(db::Transaction& tx);
/// Every account, in keyset pages of `pageSize` rows in the table's own order.
void scanAccounts(db::Transaction& tx, std::size_t pageSize, const OnDirectoryAccount& onDirectory,
                  const OnLocalAccount& onLocal);
/// The accounts whose external id is among `externalIds`, then those whose email is among `emails`
/// (an account matching both is handed over twice).
void accountsByExternalIdOrEmail(db::Transaction& tx, const std::vector<std::string>& externalIds,
                                 const std::vector<std::string>& emails, const OnDirectoryAccount& onDirectory,
                                 const OnLocalAccount& onLocal);
/// The external ids of the active directory accounts.
std::vector<std::string> activeDirectoryExternalIds(db::Transaction& tx);
/// How many directory accounts are active.
std::int64_t countActiveDirectoryAccounts(db::Transaction& tx);

/// What the directory policy needs of an account.
struct PolicyState {
    std::string externalId;  ///< empty for a local account
    std::string id;
    Role role = Role::Pending;
    bool isPrimary = false;
    bool active = true;
    std::string refusal;  ///< the directory policy's recorded refusal, empty when none
};
/// The directory policy's recorded refusals: user id -> reason.
std::unordered_map<std::string, std::string> directoryAccessRefusals(db::Transaction& tx);
/// The accounts among `ids` (no refusal read: local accounts have none).
std::vector<PolicyState> policyStates(db::Transaction& tx, const std::vector<std::string>& ids);
/// The active admins (of any source): the primary first, then the oldest.
std::vector<PolicyState> activeAdmins(db::Transaction& tx);

}  // namespace user_store
}  // namespace rosterd::accounts
