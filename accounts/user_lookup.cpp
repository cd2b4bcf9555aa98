#include "accounts/user_lookup.h"

#include "accounts/user_store.h"
#include "common/case_fold.h"
#include "common/errors.h"

namespace rosterd::accounts {

User findUserNamed(db::Transaction& tx, const std::string& name) {
    if (name.empty()) throw InvalidInput("no user named (give an email, id or directory username)");
    if (auto u = user_store::findById(tx, name)) return *u;
    // Emails are stored case-folded; a name that is not an address simply matches none.
    if (auto u = user_store::findByEmail(tx, foldCase(name))) return *u;
    auto byUsername = user_store::findByUsername(tx, name);
    if (byUsername.size() == 1) return byUsername.front();
    if (byUsername.empty()) throw NotFound("no user has the id, email or directory username '" + name + "'");
    std::string emails;
    for (const auto& u : byUsername) emails += (emails.empty() ? "" : ", ") + u.email;
    throw InvalidInput("the directory username '" + name + "' belongs to " + std::to_string(byUsername.size()) +
                       " users (" + emails + "); name one by email or id");
}

}  // namespace rosterd::accounts
