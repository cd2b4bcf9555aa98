// The users table's client documents (settings, info): part of user_store, kept in a file of its own.
#include "accounts/user_store.h"
#include "common/json_parse.h"

namespace rosterd::accounts::user_store {

namespace {
const char* clientDataColumn(ClientData which) { return which == ClientData::Settings ? "settings" : "info"; }
}  // namespace

std::optional<nlohmann::json> clientData(db::Transaction& tx, const std::string& userId, ClientData which) {
    auto rs = tx.exec(std::string("SELECT ") + clientDataColumn(which) + " FROM users WHERE id = $1", {userId});
    if (rs.empty()) return std::nullopt;
    return storedObject(rs.front().str(0));
}

bool setClientData(db::Transaction& tx, const std::string& userId, ClientData which, const nlohmann::json& value,
                   std::int64_t now) {
    auto rs =
        tx.exec(std::string("UPDATE users SET ") + clientDataColumn(which) + " = $2, updated_at = $3 WHERE id = $1",
                {userId, value.dump(), now});
    return rs.affected() > 0;
}

}  // namespace rosterd::accounts::user_store
