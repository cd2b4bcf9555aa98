#pragma once
// The rows and user.created events of directory users a sync creates: shared by the apply and by
// the writer that creates users while a first sync is still reading the directory.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "accounts/role.h"
#include "accounts/user.h"
#include "db/store.h"
#include "sync/plan.h"
#include "sync/row_batch.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

struct NewUserValues {
    accounts::Role role = accounts::Role::User;
    std::int64_t nowSeconds = 0;
};

/// The account a sync creates for a directory user (local id `id`).
accounts::User newDirectoryUser(const std::string& id, const DirUser& user, const NewUserValues& values);

/// Rows and events for creates [b, e) of `v` (thread-safe; touches no store).
RowBatch userCreateRows(const std::vector<UserWrite>& v, std::size_t b, std::size_t e, const NewUserValues& values,
                        const webhooks::Outbox& outbox);
/// Inserts a batch built by userCreateRows, with its events, inside `tx`.
void writeUserCreates(db::Transaction& tx, const RowBatch& batch, webhooks::Outbox& outbox);

}  // namespace rosterd::sync
