// GET /api/v1/users/{id}/profile/image, as Open WebUI serves it: an http(s) picture is a redirect,
// a data:image URL is decoded and sent with its type, anything else is the default picture.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/ascii.h"
#include "common/encoding.h"
#include "daemon/routes_accounts.h"
#include "daemon/static_files.h"

namespace rosterd::daemon {
namespace {

/// Whether `url` starts with `prefix` (lower-case), ignoring case as validation does.
bool startsWith(const std::string& url, const std::string& prefix) {
    return url.size() >= prefix.size() && asciiLower(url.substr(0, prefix.size())) == prefix;
}

HttpResponse image(std::string bytes, std::string type) {
    HttpResponse r;
    r.rawBody = std::move(bytes);
    r.contentType = std::move(type);
    r.headers.emplace_back("Content-Disposition", "inline");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
}

/// The decoded picture of a `data:image/<type>;base64,...` URL, nullopt when it is not one of the
/// types validation admits or does not decode (stored before validation existed).
std::optional<HttpResponse> dataImage(const std::string& url) {
    auto comma = url.find(',');
    if (comma == std::string::npos) return std::nullopt;
    std::string header = asciiLower(url.substr(5, comma - 5));  // after "data:"
    auto semicolon = header.find(';');
    std::string type = header.substr(0, semicolon);
    if (semicolon == std::string::npos || header.substr(semicolon) != ";base64") return std::nullopt;
    if (type != "image/png" && type != "image/jpeg" && type != "image/gif" && type != "image/webp") return std::nullopt;
    try {
        return image(base64Decode(std::string_view(url).substr(comma + 1)), type);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

}  // namespace

void registerProfileImageRoute(Router& router, accounts::AccountService& accounts, AccountsAuth& auth) {
    router.add("GET", "/api/v1/users/{id}/profile/image", [&](HttpRequest& req) {
        auth.caller(req, Access::User);
        auto user = accounts.getUser(req.param("id"));  // NotFound for an unknown id
        const std::string& url = user.profileImageUrl;
        if (startsWith(url, "http://") || startsWith(url, "https://")) {
            HttpResponse r;
            r.status = 302;
            r.rawBody = " ";  // not JSON: the picture is elsewhere
            r.contentType = "text/plain";
            r.headers.emplace_back("Location", url);
            return r;
        }
        if (startsWith(url, "data:")) {
            if (auto decoded = dataImage(url)) return *decoded;
            spdlog::warn("user {}: the stored data: picture does not decode; serving the default one", user.id);
        }
        return image(std::string(defaultUserImage()), "image/png");
    });
}

}  // namespace rosterd::daemon
