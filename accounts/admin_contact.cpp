#include "accounts/admin_contact.h"

#include "accounts/user_store.h"

namespace rosterd::accounts {

std::optional<User> findAdminContact(db::Transaction& tx) {
    auto rs = tx.exec(std::string("SELECT ") + user_store::kColumns +
                      " FROM users ORDER BY is_primary DESC, created_at ASC, id ASC LIMIT 1");
    if (rs.empty()) return std::nullopt;
    return user_store::rowToUser(rs.front());
}

}  // namespace rosterd::accounts
