#include "accounts/primary_admin.h"

#include <spdlog/spdlog.h>

#include "accounts/events.h"
#include "accounts/user_store.h"
#include "accounts/validation.h"
#include "common/errors.h"
#include "common/log_safe.h"
#include "common/random.h"

namespace rosterd::accounts {

User createPrimaryAdmin(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, const PasswordHasher& hasher,
                        std::size_t passwordMinLength, const std::string& name, const std::string& emailRaw,
                        const std::string& password) {
    std::string email = normalizeEmail(emailRaw);
    std::string cleanName = normalizeName(name);
    validatePassword(password, passwordMinLength);
    std::string hash = hasher.hash(password);  // outside the transaction
    User u = store.transact([&](db::Transaction& tx) {
        if (auto primary = user_store::findPrimary(tx))
            throw Conflict("a primary admin exists already (" + primary->email +
                           "); they can make other admins from the API");
        if (user_store::findByEmail(tx, email))
            throw Conflict("an account with the email " + email + " exists; set [auth] initial_admin_email = " + email +
                           " and start rosterd to make it the primary admin");
        User n;
        n.id = newUuid();
        n.name = cleanName;
        n.email = email;
        n.role = Role::Admin;
        n.isPrimary = true;
        n.createdAt = n.updatedAt = n.lastActiveAt = clock.nowSeconds();
        user_store::insert(tx, n);  // a racing creator fails on the single-primary index
        user_store::setPasswordHash(tx, n.id, hash);
        outbox.append(tx, events::userCreated(n));
        return n;
    });
    spdlog::info("primary admin {} <{}> created from the command line", u.id, logSafe(u.email));
    return u;
}

}  // namespace rosterd::accounts
