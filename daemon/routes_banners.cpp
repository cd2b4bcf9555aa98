// Open WebUI's banners (GET/POST /api/v1/configs/banners): the app shell loads them at start, the
// admin's interface page saves them. Kept as a runtime setting for the client ("webui.banners"),
// so every replica shows the same and they survive restarts; rosterd does not act on them.
#include <string>

#include "common/errors.h"
#include "daemon/routes_config.h"
#include "daemon/runtime_settings.h"

namespace rosterd::daemon {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBannersBytes = 64 * 1024;
const std::string kBannersKey = std::string(kClientSettingPrefix) + "banners";

/// Throws InvalidInput naming the first field that does not fit Open WebUI's BannerModel
/// ({id, type, title?, content, dismissible, timestamp}), PayloadTooLarge when over the limit.
void checkBanners(const json& banners) {
    if (!banners.is_array()) throw InvalidInput("field 'banners' must be a list");
    for (std::size_t i = 0; i < banners.size(); ++i) {
        const json& b = banners[i];
        std::string at = "banners[" + std::to_string(i) + "]";
        if (!b.is_object()) throw InvalidInput(at + " must be an object");
        for (const char* text : {"id", "type", "content"})
            if (!b.contains(text) || !b[text].is_string()) throw InvalidInput(at + "." + text + " must be a string");
        if (b.contains("title") && !b["title"].is_null() && !b["title"].is_string())
            throw InvalidInput(at + ".title must be a string or null");
        if (!b.contains("dismissible") || !b["dismissible"].is_boolean())
            throw InvalidInput(at + ".dismissible must be true or false");
        if (!b.contains("timestamp") || !b["timestamp"].is_number_integer())
            throw InvalidInput(at + ".timestamp must be a whole number");
    }
    if (banners.dump().size() > kMaxBannersBytes)
        throw PayloadTooLarge("banners over " + std::to_string(kMaxBannersBytes) + " bytes are not kept");
}

json storedBanners(App& app) {
    auto stored = app.settings().load().values;
    auto it = stored.find(kBannersKey);
    if (it == stored.end()) return json::array();
    json banners = json::parse(it->second, nullptr, false);
    return banners.is_array() ? banners : json::array();
}

}  // namespace

void registerBannerRoutes(Router& router, App& app) {
    router.add("GET", "/api/v1/configs/banners", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::User);
        return HttpResponse::json(storedBanners(app));
    });
    router.add("POST", "/api/v1/configs/banners", [&](HttpRequest& req) {
        auto caller = app.accountsAuth().caller(req, Access::Admin);
        auto body = req.json();
        json banners = body.is_object() && body.contains("banners") ? body["banners"] : json();
        checkBanners(banners);
        app.updateSettings({{kBannersKey, banners.dump()}}, caller.user.id);
        return HttpResponse::json(storedBanners(app));
    });
}

}  // namespace rosterd::daemon
