#include "daemon/session_response.h"

namespace rosterd::daemon {

namespace {
std::string cookieAttributes(const HttpRequest& req, const accounts::AuthConfig& config) {
    std::string a = "; Path=/; HttpOnly; SameSite=Lax";
    if (config.cookieSecure || req.secure) a += "; Secure";
    return a;
}
}  // namespace

HttpResponse sessionResponse(const accounts::Session& session, const HttpRequest& req,
                             const accounts::AuthConfig& config, std::int64_t now) {
    HttpResponse r = HttpResponse::json(accounts::sessionJson(session));
    std::string cookie = "token=" + session.token + cookieAttributes(req, config);
    if (session.expiresAt) cookie += "; Max-Age=" + std::to_string(std::max<std::int64_t>(0, *session.expiresAt - now));
    r.headers.emplace_back("Set-Cookie", cookie);
    return r;
}

std::string clearedTokenCookie(const HttpRequest& req, const accounts::AuthConfig& config) {
    return "token=" + cookieAttributes(req, config) + "; Max-Age=0";
}

}  // namespace rosterd::daemon
