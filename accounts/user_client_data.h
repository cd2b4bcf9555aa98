#pragma once
// The JSON documents Open WebUI's frontend keeps per user (its settings and info), stored on the
// user's row and bounded in size and nesting so a client cannot grow a row without limit.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "accounts/user_store.h"
#include "common/clock.h"
#include "db/store.h"

namespace rosterd::accounts {

class UserClientData {
public:
    static constexpr std::size_t kMaxBytes = 64 * 1024;  ///< a document's serialised size
    static constexpr int kMaxDepth = 16;                 ///< nesting of objects and arrays

    UserClientData(db::Store& store, const Clock& clock) : store_(store), clock_(clock) {}
    /// The user's document ({} when never set); throws NotFound for an unknown user.
    nlohmann::json get(const std::string& userId, user_store::ClientData which);
    /// Replaces the document and returns it; throws InvalidInput (not an object, too deep),
    /// PayloadTooLarge (over kMaxBytes) or NotFound.
    nlohmann::json replace(const std::string& userId, user_store::ClientData which, const nlohmann::json& doc);
    /// Sets the top-level keys of `doc` on the stored document (others stay) and returns the result;
    /// the same checks as replace() apply to the result.
    nlohmann::json merge(const std::string& userId, user_store::ClientData which, const nlohmann::json& doc);

    /// Throws InvalidInput / PayloadTooLarge unless `doc` is an object within the limits.
    static void check(const nlohmann::json& doc);

private:
    db::Store& store_;
    const Clock& clock_;
};

}  // namespace rosterd::accounts
