#pragma once
// Routes by method and path pattern ("/api/v1/users/{id}"); a trailing slash is not significant.
#include <string>
#include <vector>

#include "daemon/http_types.h"

namespace rosterd::daemon {

class Router {
public:
    /// Registers a handler. Patterns use {name} for one path segment. `maxBodyBytes` (0 = the
    /// server's max_body_bytes) lets a route such as a file upload take a larger body.
    void add(const std::string& method, const std::string& pattern, Handler handler, std::size_t maxBodyBytes = 0);

    struct Match {
        const Handler* handler = nullptr;  ///< null when nothing matched
        std::string pattern;               ///< the route's pattern (metrics label)
        bool pathKnown = false;            ///< some route matched the path with another method
        std::size_t maxBodyBytes = 0;      ///< the route's own body limit, 0 = the server's
    };
    /// Finds the route for a request and fills req.pathParams.
    Match match(HttpRequest& req) const;
    /// Every registered "METHOD pattern" (for the OpenAPI coverage test).
    std::vector<std::string> routes() const;

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        std::size_t maxBodyBytes = 0;
    };
    std::vector<Route> routes_;
};

/// Splits a path into segments, ignoring empty ones.
std::vector<std::string> splitPath(const std::string& path);

}  // namespace rosterd::daemon
