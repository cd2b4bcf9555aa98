#include "daemon/webui_config.h"

#include <cctype>
#include <optional>
#include <vector>

#include "common/duration.h"
#include "common/errors.h"
#include "daemon/runtime_settings.h"

namespace rosterd::daemon {
namespace {

using nlohmann::json;

// Fields of Open WebUI's admin form that rosterd keeps for the page only ("webui." keys).
struct ClientField {
    const char* field;
    json fallback;
};
const std::vector<ClientField>& clientFields() {
    static const std::vector<ClientField> fields = {
        {"WEBUI_URL", ""},
        {"ENABLE_API_KEY_ENDPOINT_RESTRICTIONS", false},
        {"API_KEY_ALLOWED_ENDPOINTS", ""},
        {"ENABLE_COMMUNITY_SHARING", true},
        {"ENABLE_MESSAGE_RATING", true},
        {"ENABLE_CHANNELS", false},
        {"ENABLE_NOTES", true},
        {"ENABLE_USER_WEBHOOKS", true},
        {"PENDING_USER_OVERLAY_TITLE", nullptr},
        {"PENDING_USER_OVERLAY_CONTENT", nullptr},
        {"RESPONSE_WATERMARK", nullptr},
    };
    return fields;
}

std::string clientKey(const std::string& field) {
    std::string k = kClientSettingPrefix;
    for (char ch : field) k += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return k;
}

std::string boolText(bool b) { return b ? "true" : "false"; }

bool requireBool(const json& form, const char* field) {
    auto it = form.find(field);
    if (it == form.end() || !it->is_boolean())
        throw InvalidInput(std::string("field '") + field + "' must be true or false");
    return it->get<bool>();
}

std::string requireText(const json& form, const char* field) {
    auto it = form.find(field);
    if (it == form.end() || !it->is_string()) throw InvalidInput(std::string("field '") + field + "' must be a string");
    return it->get<std::string>();
}

std::optional<std::string> optionalText(const json& form, const char* field) {
    auto it = form.find(field);
    if (it == form.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw InvalidInput(std::string("field '") + field + "' must be a string");
    return it->get<std::string>();
}

}  // namespace

std::string expiresInText(std::chrono::milliseconds d) { return d.count() < 0 ? "-1" : formatDuration(d); }

json adminConfigJson(const Config& c, const SettingValues& stored) {
    json out = {
        {"SHOW_ADMIN_DETAILS", c.auth.showAdminDetails},
        {"ENABLE_SIGNUP", c.auth.enableSignup},
        {"ENABLE_API_KEY", true},  // every user may hold one API key
        {"DEFAULT_USER_ROLE", c.auth.defaultUserRole},
        {"JWT_EXPIRES_IN", expiresInText(c.auth.jwtExpiresIn)},
    };
    for (const auto& f : clientFields()) {
        auto it = stored.find(clientKey(f.field));
        out[f.field] = it == stored.end() ? f.fallback : json::parse(it->second, nullptr, false);
        if (out[f.field].is_discarded()) out[f.field] = f.fallback;
    }
    return out;
}

SettingValues adminConfigChanges(const json& form) {
    SettingValues out;
    out["auth.show_admin_details"] = boolText(requireBool(form, "SHOW_ADMIN_DETAILS"));
    out["auth.enable_signup"] = boolText(requireBool(form, "ENABLE_SIGNUP"));
    out["auth.default_user_role"] = requireText(form, "DEFAULT_USER_ROLE");
    out["auth.jwt_expires_in"] = requireText(form, "JWT_EXPIRES_IN");
    for (const auto& f : clientFields()) {
        auto it = form.find(f.field);
        if (it == form.end()) continue;
        bool typed = f.fallback.is_boolean() ? it->is_boolean() : (it->is_string() || it->is_null());
        if (!typed)
            throw InvalidInput(std::string("field '") + f.field + "' must be " +
                               (f.fallback.is_boolean() ? "true or false" : "a string"));
        out[clientKey(f.field)] = it->dump();  // kept as JSON text for the page
    }
    return out;
}

json ldapServerJson(const Config& c, const SettingValues& stored) {
    std::string url = c.ldap.urls.empty() ? "" : c.ldap.urls.front();
    bool tls = url.rfind("ldaps://", 0) == 0;
    std::string hostPort = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    if (auto slash = hostPort.find('/'); slash != std::string::npos) hostPort.resize(slash);
    json port = nullptr;
    std::string host = hostPort;
    if (auto colon = hostPort.rfind(':');
        colon != std::string::npos && hostPort.find(']', colon) == std::string::npos) {
        host = hostPort.substr(0, colon);
        try {
            port = std::stoi(hostPort.substr(colon + 1));
        } catch (const std::exception&) {
            port = nullptr;
        }
    }
    auto storedText = [&](const std::string& key, const char* fallback) {
        auto it = stored.find(key);
        return it == stored.end() ? std::string(fallback) : it->second;
    };
    return {
        {"label", storedText(std::string(kClientSettingPrefix) + "ldap_label", "LDAP")},
        {"host", host},
        {"port", port},
        {"attribute_for_mail", c.ldap.mailAttribute},
        {"attribute_for_username", c.ldap.usernameAttribute},
        {"app_dn", c.ldap.bindDn},
        {"app_dn_password", ""},  // write-only: never returned
        {"search_base", c.ldap.userBase},
        {"search_filters", c.ldap.userFilter},
        {"use_tls", tls || c.ldap.startTls},
        {"certificate_path", c.ldap.caFile.empty() ? json(nullptr) : json(c.ldap.caFile)},
        {"validate_cert", c.ldap.tlsVerify},
        {"ciphers", storedText(std::string(kClientSettingPrefix) + "ldap_ciphers", "ALL")},
    };
}

SettingValues ldapServerChanges(const json& form) {
    SettingValues out;
    for (const char* required :
         {"label", "host", "attribute_for_mail", "attribute_for_username", "app_dn", "search_base"})
        if (requireText(form, required).empty())
            throw InvalidInput(std::string("Required field ") + required + " is empty");
    std::string host = requireText(form, "host");
    bool tls = true;  // Open WebUI's default
    if (auto it = form.find("use_tls"); it != form.end() && !it->is_null()) tls = requireBool(form, "use_tls");
    std::string url = (tls ? "ldaps://" : "ldap://") + host;
    if (auto it = form.find("port"); it != form.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 65535)
            throw InvalidInput("field 'port' must be a port number (1-65535)");
        url += ":" + std::to_string(it->get<long long>());
    }
    out["ldap.url"] = url;
    out["ldap.start_tls"] = "false";
    out["ldap.mail_attribute"] = requireText(form, "attribute_for_mail");
    out["ldap.username_attribute"] = requireText(form, "attribute_for_username");
    out["ldap.bind_dn"] = requireText(form, "app_dn");
    out["ldap.user_base"] = requireText(form, "search_base");
    if (auto f = optionalText(form, "search_filters"); f && !f->empty()) out["ldap.user_filter"] = *f;
    if (auto p = optionalText(form, "app_dn_password"); p && !p->empty()) out["ldap.bind_password"] = *p;
    if (auto ca = optionalText(form, "certificate_path")) out["ldap.ca_file"] = *ca;
    if (auto it = form.find("validate_cert"); it != form.end() && !it->is_null())
        out["ldap.tls_verify"] = boolText(requireBool(form, "validate_cert"));
    out[std::string(kClientSettingPrefix) + "ldap_label"] = requireText(form, "label");
    if (auto c = optionalText(form, "ciphers")) out[std::string(kClientSettingPrefix) + "ldap_ciphers"] = *c;
    return out;
}

}  // namespace rosterd::daemon
