#include "accounts/admin_contact.h"

#include "accounts/user_store.h"

namespace rosterd::accounts {

std::optional<User> findAdminContact(db::Transaction& tx) { return user_store::findAdminContact(tx); }

}  // namespace rosterd::accounts
