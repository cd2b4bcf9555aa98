#include "http/message.h"

#include <Poco/Net/HTTPResponse.h>
#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>

namespace rosterd::http {

std::string methodLabel(const std::string& method) {
    for (const char* m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
        if (method == m) return method;
    return "other";
}

Response errorResponse(int status, const std::string& detail) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = nlohmann::json{{"detail", detail}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

namespace {

/// RFC 9110's phrase; Poco keeps RFC 2616's older wording for a few statuses.
std::string reasonFor(int status) {
    switch (status) {
        case 408:
            return "Request Timeout";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 504:
            return "Gateway Timeout";
        default:
            return Poco::Net::HTTPResponse::getReasonForStatus(
                static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    }
}

}  // namespace

std::string serialize(const Response& r, bool headOnly, bool close) {
    auto reason = reasonFor(r.status);
    std::string out;
    out.reserve(256 + (headOnly ? 0 : r.body.size()));
    out += "HTTP/1.1 " + std::to_string(r.status) + " " + reason + "\r\n";
    for (const auto& [name, value] : r.headers) out.append(name).append(": ").append(value).append("\r\n");
    if (r.chunked)
        out += "Transfer-Encoding: chunked\r\n";
    else
        out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    out += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    if (headOnly) return out;
    if (!r.chunked) return out + r.body;
    // The whole body is ready, so it goes as one chunk; the framing stays what clients saw before.
    if (!r.body.empty()) out += fmt::format("{:x}\r\n", r.body.size()) + r.body + "\r\n";
    return out + "0\r\n\r\n";
}

}  // namespace rosterd::http
