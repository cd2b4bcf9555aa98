#include "sync/user_creates.h"

#include "accounts/events.h"
#include "accounts/user_store.h"

namespace rosterd::sync {

accounts::User newDirectoryUser(const std::string& id, const DirUser& user, const NewUserValues& values) {
    accounts::User u;
    u.id = id;
    u.name = user.name;
    u.email = user.email;
    u.role = values.role;
    u.source = accounts::Source::Ldap;
    u.username = user.username;
    u.externalId = user.id;
    u.externalDn = user.dn;
    u.profileImageUrl = user.profileImageUrl.value_or("");
    u.createdAt = u.updatedAt = u.lastActiveAt = values.nowSeconds;
    return u;
}

RowBatch userCreateRows(const std::vector<UserWrite>& v, std::size_t b, std::size_t e, const NewUserValues& values,
                        const webhooks::Outbox& outbox) {
    RowBatch batch;
    batch.rows.reserve((e - b) * 13);
    batch.events.rows.reserve((e - b) * 4);
    // One user and one event document for the whole batch, their fields overwritten per user:
    // building and freeing a document per event cost more than the rest of the batch together.
    accounts::User u = newDirectoryUser({}, {}, values);
    const auto created = accounts::events::userCreated(u);
    nlohmann::json data = created.data;
    for (std::size_t i = b; i < e; ++i) {
        const auto& w = v[i];
        u.id = w.id;
        u.name = w.user.name;
        u.email = w.user.email;
        u.username = w.user.username;
        u.externalId = w.user.id;
        u.externalDn = w.user.dn;
        u.profileImageUrl = w.user.profileImageUrl.value_or("");
        accounts::user_store::appendInsertRow(batch.rows, u);
        accounts::events::refillUserData(data, u);
        outbox.prepareOne(batch.events, created.type, data);
    }
    return batch;
}

void writeUserCreates(db::Transaction& tx, const RowBatch& batch, webhooks::Outbox& outbox) {
    accounts::user_store::insertMany(tx, batch.rows);
    outbox.appendPrepared(tx, batch.events);
}

}  // namespace rosterd::sync
