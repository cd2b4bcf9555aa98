// The users gateway's labels: the few fields that name a user to a reader (a sync plan), read in
// bulk without the rest of the row (no JSON documents to parse).
#include <algorithm>

#include "accounts/user_store.h"
#include "db/placeholders.h"

namespace rosterd::accounts::user_store {

std::vector<UserLabel> labelsByIds(db::Transaction& tx, const std::vector<std::string>& ids) {
    constexpr std::size_t kPerQuery = 500;  // values per IN list, far below both drivers' limits
    std::vector<UserLabel> out;
    out.reserve(ids.size());
    for (std::size_t b = 0; b < ids.size(); b += kPerQuery) {
        const std::size_t e = std::min(ids.size(), b + kPerQuery);
        db::Params p(ids.begin() + static_cast<std::ptrdiff_t>(b), ids.begin() + static_cast<std::ptrdiff_t>(e));
        for (auto row : tx.exec("SELECT id, email, username, name, external_dn FROM users WHERE id IN (" +
                                    db::placeholders(1, e - b) + ")",
                                p))
            out.push_back({row.str(0), row.str(1), row.optStr(2), row.str(3), row.optStr(4)});
    }
    return out;
}

}  // namespace rosterd::accounts::user_store
