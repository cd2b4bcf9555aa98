#pragma once
// A small HTTP client for tests, speaking to rosterd on loopback.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace rosterd::test {

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< names lower-cased; Set-Cookie values joined by "\n"
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? "" : it->second;
    }
};

class HttpClient {
public:
    explicit HttpClient(int port, std::string host = "127.0.0.1") : host_(std::move(host)), port_(port) {}
    /// Sends a request; `token` (if not empty) goes as "Authorization: Bearer".
    HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::string& token = "", const std::map<std::string, std::string>& headers = {},
                       const std::string& contentType = "application/json") const;
    HttpResult get(const std::string& path, const std::string& token = "") const {
        return request("GET", path, "", token);
    }
    HttpResult del(const std::string& path, const std::string& token = "") const {
        return request("DELETE", path, "", token);
    }
    HttpResult post(const std::string& path, const nlohmann::json& body, const std::string& token = "") const {
        return request("POST", path, body.dump(), token);
    }

private:
    std::string host_;
    int port_;
};

}  // namespace rosterd::test
