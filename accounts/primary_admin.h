#pragma once
// The deliberate way in for the first admin (`rosterd users create-admin`): creates the primary
// admin while none exists, whatever sync or an import created before.
#include <cstddef>
#include <string>

#include "accounts/password_hasher.h"
#include "accounts/user.h"
#include "common/clock.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::accounts {

/// Creates a local primary admin with the password. Throws InvalidInput for a bad name, email or
/// password, Conflict when a primary admin exists already or the email is taken.
User createPrimaryAdmin(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, const PasswordHasher& hasher,
                        std::size_t passwordMinLength, const std::string& name, const std::string& email,
                        const std::string& password);

}  // namespace rosterd::accounts
