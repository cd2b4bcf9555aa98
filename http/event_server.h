#pragma once
// An HTTP/1.1 server where one event loop owns every connection: it reads each request's head and
// body under a total deadline and within the limits, hands only complete requests to a pool of
// workers (first come, first served; one request at a time per connection), and writes the
// responses without blocking. Idle, slow or stuck clients therefore hold no worker.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/metrics.h"
#include "http/limits.h"
#include "http/message.h"

namespace rosterd::http {

class EventServer {
public:
    struct Callbacks {
        /// The body limit for a request with this head; runs on the loop, may throw HttpError.
        std::function<std::size_t(const RequestHead&)> bodyLimit;
        /// Answers a complete request; runs on a worker. An exception becomes a 500.
        std::function<Response(Request&)> handle;
    };

    EventServer(const ServerLimits& limits, Callbacks callbacks, Metrics& metrics);
    /// Stops (as stop()) if still running.
    ~EventServer();
    EventServer(const EventServer&) = delete;
    EventServer& operator=(const EventServer&) = delete;

    /// Binds host:port and starts serving; throws rosterd::Error with the reason (e.g. port in use).
    void start(const std::string& host, std::uint16_t port);
    /// Stops accepting, closes idle connections, lets started requests finish within
    /// limits.shutdownTimeout, then closes the rest.
    void stop();
    /// The bound port (the chosen one when started with port 0).
    std::uint16_t port() const;

private:
    struct Loop;
    std::unique_ptr<Loop> loop_;
};

}  // namespace rosterd::http
