#pragma once
// Admins' view and control of linking local accounts to directory entries by email: the per-user
// permission (User::directoryLinkAllowed) and the refused attempts recorded at sign-in.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/clock.h"
#include "db/store.h"

namespace rosterd::accounts {

struct LinkRefusalRecord {
    std::string userId;
    std::string email;
    std::string externalId;
    std::string dn;
    std::string reason;
    std::int64_t refusedAt = 0;
    bool linkAllowed = false;
};

/// {user_id, email, external_id, dn, reason, refused_at, directory_link_allowed}
nlohmann::json linkRefusalJson(const LinkRefusalRecord& r);

namespace directory_links {
/// Remembers the last refused link of `userId` (one row per user, replaced).
void recordRefusal(db::Transaction& tx, const LinkRefusalRecord& r);
/// Forgets it (the account was linked).
void clearRefusal(db::Transaction& tx, const std::string& userId);
}  // namespace directory_links

class DirectoryLinks {
public:
    DirectoryLinks(db::Store& store, const Clock& clock);
    /// Allows (or forbids again) a directory entry with the same email to take over the local
    /// account `userId`. Throws NotFound; Conflict for a directory account; InvalidInput for an
    /// admin account (never linked, allowed or not).
    LinkRefusalRecord setAllowed(const std::string& actorId, const std::string& userId, bool allowed);
    /// Every recorded refusal, newest first.
    std::vector<LinkRefusalRecord> refusals();

private:
    db::Store& store_;
    const Clock& clock_;
};

}  // namespace rosterd::accounts
