#pragma once
// Who pending users are told to contact (GET /api/v1/auths/admin/details).
#include <optional>

#include "accounts/user.h"
#include "db/store.h"

namespace rosterd::accounts {

/// The primary admin, else the first account created (whom Open WebUI names as the admin contact).
std::optional<User> findAdminContact(db::Transaction& tx);

}  // namespace rosterd::accounts
