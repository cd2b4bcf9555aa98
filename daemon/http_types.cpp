#include "daemon/http_types.h"

#include "common/errors.h"
#include "common/json_parse.h"

namespace rosterd::daemon {

std::optional<std::string> HttpRequest::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    if (it == headers.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> HttpRequest::cookie(const std::string& name) const {
    auto h = header("cookie");
    if (!h) return std::nullopt;
    const std::string& s = *h;
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t end = s.find(';', pos);
        if (end == std::string::npos) end = s.size();
        std::string part = s.substr(pos, end - pos);
        std::size_t start = part.find_first_not_of(' ');
        if (start != std::string::npos) part = part.substr(start);
        std::size_t eq = part.find('=');
        if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
        pos = end + 1;
    }
    return std::nullopt;
}

std::optional<std::string> HttpRequest::queryParam(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

nlohmann::json HttpRequest::json() const {
    if (body.empty()) throw InvalidInput("request body is empty; a JSON object was expected");
    nlohmann::json j = parseJson(body);  // depth-limited while parsing
    if (!j.is_object()) throw InvalidInput("request body must be a JSON object");
    return j;
}

HttpResponse HttpResponse::json(nlohmann::json body, int status) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

HttpResponse HttpResponse::error(int status, const std::string& detail) { return json({{"detail", detail}}, status); }

}  // namespace rosterd::daemon
