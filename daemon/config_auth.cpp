#include <cstdlib>

#include "accounts/permissions.h"
#include "accounts/token_service.h"
#include "accounts/user.h"
#include "accounts/validation.h"
#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/credentials.h"

namespace rosterd::daemon {

std::string stateDirectory() {
    const char* dir = std::getenv("STATE_DIRECTORY");  // set by systemd's StateDirectory=
    if (dir && *dir) {
        std::string d = dir;
        auto colon = d.find(':');
        return colon == std::string::npos ? d : d.substr(0, colon);
    }
    return "./data";
}

void readAuth(ConfigReader& r, accounts::AuthConfig& a) {
    a.enableSignup = r.boolean("auth", "enable_signup", a.enableSignup);
    a.defaultUserRole = r.choice("auth", "default_user_role", a.defaultUserRole, {"pending", "user", "admin"});
    a.passwordMinLength = static_cast<std::size_t>(r.integer("auth", "password_min_length", 8, 1, 72));
    a.bcryptCost = static_cast<int>(r.integer("auth", "bcrypt_cost", a.bcryptCost, 4, 31));
    a.jwtSecretFile =
        secretFilePath("auth.jwt_secret_file", r.str("auth", "jwt_secret_file", stateDirectory() + "/jwt_secret"));
    // Beside the current key by default, where `rosterd keys rotate` moves it.
    std::string previous = r.str("auth", "jwt_previous_secret_file", "");
    a.jwtPreviousSecretFile = previous.empty() ? a.jwtSecretFile + ".previous"
                                               : secretFilePath("auth.jwt_previous_secret_file", previous, false);
    a.jwtExpiresIn = r.duration("auth", "jwt_expires_in", a.jwtExpiresIn);
    if (a.jwtExpiresIn.count() == 0)
        throw ConfigError("auth.jwt_expires_in", "must be positive, or -1 for tokens that never expire");
    a.cookieSecure = r.boolean("auth", "cookie_secure", a.cookieSecure);
    a.signinMaxAttempts = static_cast<int>(r.integer("auth", "signin_max_attempts", a.signinMaxAttempts, 0, 1'000'000));
    a.signinWindow = r.duration("auth", "signin_window", a.signinWindow);
    a.signupMaxAttempts = static_cast<int>(r.integer("auth", "signup_max_attempts", a.signupMaxAttempts, 0, 1'000'000));
    a.signupWindow = r.duration("auth", "signup_window", a.signupWindow);
    if (a.signupWindow.count() <= 0) throw ConfigError("auth.signup_window", "must be positive");
    std::string initial = r.str("auth", "initial_admin_email", "");
    if (!initial.empty()) {
        try {
            a.initialAdminEmail = accounts::normalizeEmail(initial);
        } catch (const InvalidInput& e) {
            throw ConfigError("auth.initial_admin_email", e.what());
        }
    }
    // An existing secret file others may write, or a weak secret, is refused here too, so
    // check-config reports it before a start does.
    accounts::TokenService::checkSecretFile(a.jwtSecretFile, !isCredentialPath(a.jwtSecretFile));
    accounts::TokenService::checkSecretFile(a.jwtPreviousSecretFile, !isCredentialPath(a.jwtPreviousSecretFile),
                                            "auth.jwt_previous_secret_file");
    a.showAdminDetails = r.boolean("auth", "show_admin_details", a.showAdminDetails);
}

nlohmann::json readPermissions(ConfigReader& r) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : r.section("permissions")) {
        bool flag;
        if (value == "true")
            flag = true;
        else if (value == "false")
            flag = false;
        else
            throw ConfigError("permissions." + key, "'" + value + "' is not true or false");
        nlohmann::json* node = &out;
        std::size_t pos = 0;
        while (true) {
            auto dot = key.find('.', pos);
            std::string part = key.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
            if (part.empty()) throw ConfigError("permissions." + key, "empty name between dots");
            if (dot == std::string::npos) {
                (*node)[part] = flag;
                break;
            }
            if (node->contains(part) && !(*node)[part].is_object())
                throw ConfigError("permissions." + key,
                                  "'" + part + "' is both a permission and a group of permissions");
            node = &(*node)[part];
            pos = dot + 1;
        }
    }
    try {
        accounts::validatePermissions(out);  // the same known shape the API accepts
    } catch (const InvalidInput& e) {
        throw ConfigError("permissions", e.what());
    }
    return out;
}

}  // namespace rosterd::daemon
