#include "sync/user_creates.h"

namespace rosterd::sync {

nlohmann::json userEventData(const std::string& id, const DirUser& user) {
    return {{"id", id},          {"email", user.email}, {"name", user.name}, {"username", user.username},
            {"external_id", user.id}, {"dn", user.dn},     {"source", "ldap"}};
}

RowBatch userCreateRows(const std::vector<UserWrite>& v, std::size_t b, std::size_t e, const NewUserValues& values,
                        const webhooks::Outbox& outbox) {
    RowBatch batch;
    batch.rows.reserve((e - b) * 12);
    batch.events.rows.reserve((e - b) * 4);
    // One document for the whole batch, its fields overwritten per user: building and freeing a
    // document per event cost more than the rest of the batch together.
    nlohmann::json data = userEventData({}, {});
    data["role"] = values.role;
    for (std::size_t i = b; i < e; ++i) {
        const auto& w = v[i];
        batch.rows.insert(batch.rows.end(),
                          {w.id, w.user.name, w.user.email, values.role, std::string("ldap"), db::val(true), w.user.username,
                           w.user.id, w.user.dn, values.nowSeconds, values.nowSeconds, values.nowSeconds});
        data["id"] = w.id;
        data["email"] = w.user.email;
        data["name"] = w.user.name;
        data["username"] = w.user.username;
        data["external_id"] = w.user.id;
        data["dn"] = w.user.dn;
        outbox.prepareOne(batch.events, "user.created", data);
    }
    return batch;
}

void writeUserCreates(db::Transaction& tx, const RowBatch& batch, webhooks::Outbox& outbox) {
    tx.insertRows("users",
                  {"id", "name", "email", "role", "source", "active", "username", "external_id", "external_dn",
                   "created_at", "updated_at", "last_active_at"},
                  batch.rows);
    outbox.appendPrepared(tx, batch.events);
}

}  // namespace rosterd::sync
