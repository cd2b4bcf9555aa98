#pragma once
// What one connection and one request may take from the server; the [server] keys of the config.
#include <chrono>
#include <cstddef>

namespace rosterd::http {

struct ServerLimits {
    int threads = 16;             ///< workers running complete requests
    int backlog = 256;            ///< listen() queue
    int maxConnections = 10'000;  ///< beyond it a new connection gets 503 and is closed
    std::size_t maxHeaderBytes = 16 * 1024;
    int maxHeaderCount = 100;
    std::size_t maxBodyBytes = 1 << 20;                  ///< unless the route sets its own
    std::chrono::milliseconds headerTimeout{10'000};     ///< first byte to the end of the head
    std::chrono::milliseconds requestTimeout{30'000};    ///< first byte to the end of the body
    std::chrono::milliseconds keepAliveTimeout{60'000};  ///< idle between requests
    std::chrono::milliseconds shutdownTimeout{10'000};   ///< how long stop() lets requests finish
};

}  // namespace rosterd::http
