#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "common/metrics.h"
#include "daemon/config.h"
#include "daemon/router.h"

namespace rosterd::daemon {

/// Maps an exception from a handler to a status and {"detail": ...}; logs the reason.
HttpResponse responseForException(const std::exception& e, const std::string& route);

/// Serves a Router through the event-loop server of http/ (complete requests only reach the router).
class HttpServer {
public:
    HttpServer(const ServerConfig& config, const Router& router, Metrics& metrics);
    ~HttpServer();
    /// Binds and starts serving; throws Error with a one-line reason (e.g. port in use).
    void start();
    /// Stops accepting, waits up to the configured time for in-flight requests.
    void stop();
    std::uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rosterd::daemon
