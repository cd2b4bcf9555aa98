#include "accounts/permissions.h"

#include <spdlog/spdlog.h>

#include <mutex>
#include <unordered_set>

#include "accounts/group_store.h"
#include "common/errors.h"
#include "common/json_parse.h"
#include "common/log_safe.h"

namespace rosterd::accounts {

const nlohmann::json& builtinPermissions() {
    static const nlohmann::json tree = {
        {"workspace",
         {{"models", false},
          {"knowledge", false},
          {"prompts", false},
          {"tools", false},
          {"models_import", false},
          {"models_export", false},
          {"prompts_import", false},
          {"prompts_export", false},
          {"tools_import", false},
          {"tools_export", false}}},
        {"sharing",
         {{"public_models", false},
          {"public_knowledge", false},
          {"public_prompts", false},
          {"public_tools", false},
          {"public_notes", false}}},
        {"chat",
         {{"controls", true},
          {"valves", true},
          {"system_prompt", true},
          {"params", true},
          {"file_upload", true},
          {"delete", true},
          {"delete_message", true},
          {"continue_response", true},
          {"regenerate_response", true},
          {"rate_response", true},
          {"edit", true},
          {"share", true},
          {"export", true},
          {"stt", true},
          {"tts", true},
          {"call", true},
          {"multiple_models", true},
          {"temporary", true},
          {"temporary_enforced", false}}},
        {"features",
         {{"api_keys", false},
          {"direct_tool_servers", false},
          {"web_search", true},
          {"image_generation", true},
          {"code_interpreter", true},
          {"notes", true}}},
        {"ui", {{"interface_settings", true}}},
    };
    return tree;
}

namespace {

std::string sectionNames() {
    std::string names;
    for (const auto& [section, _] : builtinPermissions().items()) names += (names.empty() ? "" : ", ") + section;
    return names;
}

/// Walks `p` against the shape; calls `bad(path, reason)` for each misfit and `good(section, key, value)`
/// for each fitting boolean. Two fixed levels: no recursion into what the client sent.
template <typename Bad, typename Good>
void walk(const nlohmann::json& p, Bad&& bad, Good&& good) {
    if (!p.is_object()) {
        bad("", "permissions must be an object of sections (" + sectionNames() + ")");
        return;
    }
    const auto& shape = builtinPermissions();
    for (const auto& [section, values] : p.items()) {
        auto known = shape.find(section);
        if (known == shape.end()) {
            bad(section, "unknown permission section '" + logSafe(section, 64) + "' (known: " + sectionNames() + ")");
            continue;
        }
        if (!values.is_object()) {
            bad(section, "permissions." + section + " must be an object of true/false values");
            continue;
        }
        for (const auto& [key, value] : values.items()) {
            std::string path = section + "." + logSafe(key, 64);
            if (!known->contains(key))
                bad(path, "unknown permission '" + path + "'");
            else if (!value.is_boolean())
                bad(path, "permission " + path + " must be true or false");
            else
                good(section, key, value.template get<bool>());
        }
    }
}

}  // namespace

void validatePermissions(const nlohmann::json& p) {
    walk(
        p, [](const std::string&, const std::string& reason) { throw InvalidInput(reason); },
        [](const std::string&, const std::string&, bool) {});
}

nlohmann::json shapePermissions(const nlohmann::json& p, std::string* dropped) {
    nlohmann::json out = nlohmann::json::object();
    walk(
        p,
        [&](const std::string& path, const std::string&) {
            if (dropped && dropped->empty()) *dropped = path.empty() ? "(not an object)" : path;
        },
        [&](const std::string& section, const std::string& key, bool value) { out[section][key] = value; });
    return out;
}

nlohmann::json storedPermissions(const std::string& text, const std::string& source) {
    std::string dropped;
    nlohmann::json shaped;
    try {
        shaped = shapePermissions(parseJson(text.empty() ? "{}" : text), &dropped);
    } catch (const InvalidInput& e) {
        shaped = nlohmann::json::object();
        dropped = e.what();
    }
    if (!dropped.empty()) {
        // Once per source: a bad row is read on every request and must not flood the log.
        static std::mutex mutex;
        static std::unordered_set<std::string> logged;
        std::lock_guard lock(mutex);
        if (logged.insert(source).second)
            spdlog::warn("stored permissions of {} do not fit the permission tree; ignoring what does not ({})",
                         logSafe(source), logSafe(dropped));
    }
    return shaped;
}

void overlayPermissions(nlohmann::json& a, const nlohmann::json& b) {
    const nlohmann::json shaped = shapePermissions(b);  // kept alive for the loop
    for (const auto& [section, values] : shaped.items())
        for (const auto& [key, value] : values.items()) a[section][key] = value;
}

void mergePermissions(nlohmann::json& a, const nlohmann::json& b) {
    const nlohmann::json shaped = shapePermissions(b);
    for (const auto& [section, values] : shaped.items())
        for (const auto& [key, value] : values.items()) {
            nlohmann::json& leaf = a[section][key];
            leaf = (leaf.is_boolean() && leaf.get<bool>()) || value.get<bool>();
        }
}

nlohmann::json grantAll(nlohmann::json p) {
    for (auto& [section, values] : p.items()) {
        if (!values.is_object()) continue;
        for (auto& [key, value] : values.items()) value = true;
    }
    return p;
}

nlohmann::json PermissionService::defaults(db::Transaction& tx) const {
    nlohmann::json tree = builtinPermissions();
    overlayPermissions(tree, configured_);
    auto rs = tx.exec("SELECT value FROM settings WHERE key = 'default_permissions'");
    if (!rs.empty()) overlayPermissions(tree, storedPermissions(rs.front().str(0), "the stored default permissions"));
    return tree;
}

void PermissionService::setDefaults(db::Transaction& tx, const nlohmann::json& p, std::int64_t now) const {
    validatePermissions(p);
    tx.exec(
        "INSERT INTO settings (key, value, updated_at) VALUES ('default_permissions', $1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        {p.dump(), now});
}

nlohmann::json PermissionService::effective(db::Transaction& tx, const std::string& userId, Role role) const {
    nlohmann::json result = defaults(tx);
    // A deactivated directory group keeps its permissions for when it comes back, granting none meanwhile.
    for (const auto& p : group_store::activeGroupPermissions(tx, userId)) mergePermissions(result, p);
    if (role == Role::Admin) result = grantAll(result);
    return result;
}

}  // namespace rosterd::accounts
