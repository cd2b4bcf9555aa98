#include "sync/change_feed_state.h"

#include "common/encoding.h"
#include "sync/run_log.h"

namespace rosterd::sync {
namespace {

constexpr const char* kUsersCookie = "cookie.users";
constexpr const char* kGroupsCookie = "cookie.groups";
constexpr const char* kScope = "cookie.scope";
constexpr const char* kLastFullAt = "last_full_at";

}  // namespace

ChangeFeedState loadChangeFeedState(db::Store& store) {
    ChangeFeedState st;
    store.transact(
        [&](db::Transaction& tx) {
            // Cookies are opaque bytes from the server: stored as base64 so any driver keeps them.
            try {
                if (auto v = readState(tx, kUsersCookie)) st.cookies.users = base64Decode(*v);
                if (auto v = readState(tx, kGroupsCookie)) st.cookies.groups = base64Decode(*v);
            } catch (const std::exception&) {
                st.cookies = {};  // a damaged cookie: start over with a full run
            }
            if (auto v = readState(tx, kScope)) st.scope = *v;
            if (auto v = readState(tx, kLastFullAt)) {
                // A damaged value means "no full run known": the next run is full, not failed.
                try {
                    st.lastFullAt = std::stoll(*v);
                } catch (const std::exception&) {
                    st.lastFullAt = 0;
                }
            }
        },
        db::TxMode::Read);
    return st;
}

void saveChangeFeedState(db::Store& store, const ChangeFeedState& state, std::int64_t nowSeconds) {
    store.transact([&](db::Transaction& tx) {
        writeState(tx, kUsersCookie, base64Encode(state.cookies.users), nowSeconds);
        writeState(tx, kGroupsCookie, base64Encode(state.cookies.groups), nowSeconds);
        writeState(tx, kScope, state.scope, nowSeconds);
        writeState(tx, kLastFullAt, std::to_string(state.lastFullAt), nowSeconds);
    });
}

std::optional<std::string> fullRunReason(const ChangeFeedState& stored, const std::string& scope,
                                         const SyncConfig& config, std::int64_t nowMillis) {
    if (stored.cookies.users.empty() || stored.lastFullAt == 0) return "no sync cookie stored yet";
    if (stored.scope != scope) return "the directory scope changed since the cookie was taken";
    if (nowMillis - stored.lastFullAt >= config.fullEvery.count()) return "a full consistency run is due (full_every)";
    return std::nullopt;
}

}  // namespace rosterd::sync
