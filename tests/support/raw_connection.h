#pragma once
// One TCP connection to rosterd on loopback driven byte by byte, for tests of HTTP framing,
// deadlines and misbehaving clients that a well-formed client library cannot express.
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace rosterd::test {

struct RawResponse {
    std::string statusLine;  ///< e.g. "HTTP/1.1 400 Bad Request"
    int status = 0;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;
};

class RawConnection {
public:
    /// Connects to 127.0.0.1:`port`; throws std::runtime_error when it cannot.
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    RawConnection(RawConnection&& other) noexcept;

    /// Sends every byte; false when the server has closed the connection.
    bool send(const std::string& data);
    /// Reads one whole response (Content-Length or chunked body; none when `headOnly`, as after a
    /// HEAD request); nullopt on timeout or close first.
    std::optional<RawResponse> readResponse(std::chrono::milliseconds timeout, bool headOnly = false);
    /// True when the server closes the connection (EOF or reset) within `timeout`.
    bool closedByServer(std::chrono::milliseconds timeout);

private:
    /// Waits for more bytes into buffer_; false on timeout, EOF or error.
    bool fill(std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::string buffer_;
    bool eof_ = false;
};

/// A GET request for `path` with Host set; keep-alive unless `close`.
std::string getRequest(const std::string& path, bool close = false);

}  // namespace rosterd::test
