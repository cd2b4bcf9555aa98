#pragma once
// Reading and writing users inside a caller's transaction.
#include <optional>
#include <string>
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
/// Directory users whose login name is `username` (case-insensitively); several may share one.
std::vector<User> findByUsername(db::Transaction& tx, const std::string& username);
std::int64_t count(db::Transaction& tx);
/// Whether a primary admin exists (at most one can: a unique index).
bool primaryExists(db::Transaction& tx);
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
/// group ids for each of the given users.
std::vector<std::pair<std::string, std::string>> memberships(db::Transaction& tx,
                                                             const std::vector<std::string>& userIds);

/// The JSON documents a client keeps per user: Open WebUI's user settings and info.
enum class ClientData { Settings, Info };
/// A user's document (an object, {} when never set); nullopt when the user does not exist.
std::optional<nlohmann::json> clientData(db::Transaction& tx, const std::string& userId, ClientData which);
/// Replaces a user's document; false when the user does not exist.
bool setClientData(db::Transaction& tx, const std::string& userId, ClientData which, const nlohmann::json& value,
                   std::int64_t now);

std::optional<std::string> passwordHash(db::Transaction& tx, const std::string& userId);
void setPasswordHash(db::Transaction& tx, const std::string& userId, const std::string& hash);

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

}  // namespace user_store
}  // namespace rosterd::accounts
