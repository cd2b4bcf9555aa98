#pragma once
// Posts request bodies to one endpoint over a kept-alive HTTP(S) connection (Poco). HTTPS is
// verified against the system CAs, or only against ca_file when one is configured.
#include <Poco/Net/Context.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "webhooks/retry_policy.h"
#include "webhooks/webhook_config.h"

namespace Poco::Net {
class HTTPClientSession;
}  // namespace Poco::Net

namespace rosterd::webhooks {

class HttpSender {
public:
    /// Throws std::invalid_argument for a URL that is not http(s)://host[:port]/path.
    explicit HttpSender(const EndpointConfig& endpoint);
    ~HttpSender();
    HttpSender(const HttpSender&) = delete;
    HttpSender& operator=(const HttpSender&) = delete;

    /// POSTs `body` as application/json with extra headers. Never throws: a failure to connect,
    /// a timeout or a TLS error comes back as status 0 with the reason; `nowMillis` resolves
    /// an HTTP-date Retry-After.
    AttemptResult post(const std::string& body, const std::map<std::string, std::string>& headers,
                       std::int64_t nowMillis);

private:
    void connect();
    AttemptResult postOnce(const std::string& body, const std::map<std::string, std::string>& headers,
                           std::int64_t nowMillis);
    std::string host_;
    unsigned short port_ = 0;
    bool https_ = false;
    std::string target_;  ///< path and query
    std::chrono::milliseconds timeout_;
    std::string caFile_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    Poco::Net::Context::Ptr context_;  ///< HTTPS only
};

}  // namespace rosterd::webhooks
