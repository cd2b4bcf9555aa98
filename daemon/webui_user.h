#pragma once
// A user as Open WebUI's UserModel has it, for the routes its frontend reads users from.
#include <nlohmann/json.hpp>

#include "accounts/user.h"

namespace rosterd::daemon {

/// userJson() with what Open WebUI's UserModel adds: `oauth_sub` (always null: rosterd has no
/// OAuth sign-in) and the client's `settings` document (null until set). Not for events: the
/// settings are the client's private state.
nlohmann::json webuiUserJson(const accounts::User& u);

}  // namespace rosterd::daemon
