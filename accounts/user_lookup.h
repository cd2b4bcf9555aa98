#pragma once
// Naming one user the way an operator would: by id, email or directory login name.
#include <string>

#include "accounts/user.h"
#include "db/store.h"

namespace rosterd::accounts {

/// The user `name` names: an id, else an email (case-insensitively), else a directory username.
/// Throws NotFound when none matches, and InvalidInput naming their emails when several
/// directory users share the username.
User findUserNamed(db::Transaction& tx, const std::string& name);

}  // namespace rosterd::accounts
