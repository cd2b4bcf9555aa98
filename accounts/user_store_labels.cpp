// The users gateway's labels: the few fields that name a user to a reader (a sync plan), read in
// bulk without the rest of the row (no JSON documents to parse).
#include <algorithm>

#include "accounts/user_store.h"
#include "db/placeholders.h"

namespace rosterd::accounts::user_store {

std::vector<UserLabel> labelsByIds(db::Transaction& tx, const std::vector<std::string>& ids) {
    std::vector<UserLabel> out;
    out.reserve(ids.size());
    db::forIdChunks(ids, [&](const db::Params& p, std::size_t n) {
        for (auto row : tx.exec("SELECT id, email, username, name, external_dn FROM users WHERE id IN (" +
                                    db::placeholders(1, n) + ")",
                                p))
            out.push_back({row.str(0), row.str(1), row.optStr(2), row.str(3), row.optStr(4)});
    });
    return out;
}

}  // namespace rosterd::accounts::user_store
