#pragma once
#include "accounts/account_service.h"
#include "daemon/http_types.h"

namespace rosterd::daemon {

/// The session as JSON, with the `token` cookie set (HttpOnly, SameSite=Lax, Secure when configured
/// or the request came over HTTPS).
HttpResponse sessionResponse(const accounts::Session& session, const HttpRequest& req,
                             const accounts::AuthConfig& config, std::int64_t now);
/// A Set-Cookie value that clears the `token` cookie.
std::string clearedTokenCookie(const HttpRequest& req, const accounts::AuthConfig& config);

}  // namespace rosterd::daemon
