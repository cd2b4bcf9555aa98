#pragma once
// The event loop's record of one client connection: where it is in the request cycle, the bytes
// received and not yet used, the response being written, and its current deadline.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "http/file_descriptor.h"
#include "http/message.h"

namespace rosterd::http {

struct Connection {
    enum class State {
        Idle,         ///< between requests (keep-alive) or fresh: waiting for the first byte
        ReadingHead,  ///< part of a head received
        ReadingBody,  ///< head parsed, waiting for Content-Length bytes
        Processing,   ///< on a worker; the loop does not watch the socket
        Writing,      ///< response bytes going out
        Closing,      ///< response sent, write side shut: draining input until the peer closes
    };
    using TimePoint = std::chrono::steady_clock::time_point;

    FileDescriptor fd;
    std::uint64_t id = 0;
    std::string peer;  ///< client IP
    State state = State::Idle;
    std::string in;
    std::string out;
    std::size_t outOffset = 0;
    bool closeAfterWrite = false;
    RequestHead head;
    TimePoint requestStart{};
    std::optional<TimePoint> deadline;
    bool inFlight = false;     ///< counted in the in-flight gauge
    std::uint32_t events = 0;  ///< current epoll interest; 0 = not registered
};

}  // namespace rosterd::http
