#pragma once
// A complete request as the event loop hands it to a worker, and the response a worker returns.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rosterd::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// A parsed request head; the target is decoded and checked to be UTF-8.
struct RequestHead {
    std::string method;
    std::string target;                                      ///< as sent, e.g. "/api/v1/users?skip=1"
    std::string path;                                        ///< percent-decoded, without the query
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded parameters in order
    HeaderList headers;                                      ///< names lower-cased, in order
    std::size_t contentLength = 0;
    bool keepAlive = true;  ///< HTTP/1.1 without "Connection: close", or 1.0 with keep-alive
    bool expectContinue = false;
    bool http10 = false;
};

struct Request {
    RequestHead head;
    std::string body;
    std::string clientAddress;  ///< peer IP, without port
};

struct Response {
    int status = 200;
    HeaderList headers;  ///< Content-Length and Connection are added when serialised
    std::string body;
    bool close = false;    ///< close the connection after sending
    bool chunked = false;  ///< send the body with chunked transfer encoding (HTTP/1.1 only)
};

/// The label for a method in metrics: itself when standard, else "other" (a closed set).
std::string methodLabel(const std::string& method);
/// A {"detail": ...} JSON response; never throws on bytes that are not UTF-8.
Response errorResponse(int status, const std::string& detail);
/// The status line, headers and (unless `headOnly`) body of `r`, with Connection set per `close`.
std::string serialize(const Response& r, bool headOnly, bool close);

}  // namespace rosterd::http
