#pragma once
// The request and response that route handlers see; Poco stays inside http_server.cpp.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rosterd::daemon {

struct HttpRequest {
    std::string method;
    std::string path;                               ///< without the query string
    std::map<std::string, std::string> query;       ///< decoded query parameters
    std::map<std::string, std::string> headers;     ///< names lower-cased
    std::map<std::string, std::string> pathParams;  ///< from {name} segments of the route
    std::string body;
    std::string clientAddress;  ///< peer IP, without port
    bool secure = false;        ///< arrived over HTTPS (directly or per X-Forwarded-Proto)

    std::optional<std::string> header(const std::string& lowerName) const;
    std::optional<std::string> cookie(const std::string& name) const;
    std::optional<std::string> queryParam(const std::string& name) const;
    const std::string& param(const std::string& name) const { return pathParams.at(name); }
    /// The body as a JSON object; throws InvalidInput (400) when it is not one or nests deeper than
    /// 32 levels (checked while parsing).
    nlohmann::json json() const;
};

struct HttpResponse {
    int status = 200;
    nlohmann::json body;  ///< sent when rawBody and stream are empty
    std::string rawBody;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    /// When set, the body is written by this function with chunked transfer encoding.
    std::function<void(std::ostream&)> stream;

    static HttpResponse json(nlohmann::json body, int status = 200);
    static HttpResponse error(int status, const std::string& detail);
};

using Handler = std::function<HttpResponse(HttpRequest&)>;

}  // namespace rosterd::daemon
