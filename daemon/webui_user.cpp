#include "daemon/webui_user.h"

namespace rosterd::daemon {

nlohmann::json webuiUserJson(const accounts::User& u) {
    nlohmann::json j = accounts::userJson(u);
    j["oauth_sub"] = nullptr;
    j["settings"] = u.settings.empty() ? nlohmann::json(nullptr) : u.settings;
    return j;
}

}  // namespace rosterd::daemon
