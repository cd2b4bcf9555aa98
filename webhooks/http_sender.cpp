#include "webhooks/http_sender.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <stdexcept>

namespace rosterd::webhooks {
namespace {

// Only the start of an error body is kept, for last_error.
constexpr std::size_t kErrorBodyChars = 200;

std::string snippet(const std::string& body) {
    std::string s = body.substr(0, kErrorBodyChars);
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

}  // namespace

HttpSender::HttpSender(const EndpointConfig& endpoint) : timeout_(endpoint.timeout), caFile_(endpoint.caFile) {
    Poco::URI uri;
    try {
        uri = Poco::URI(endpoint.url);
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument("'" + endpoint.url + "' is not a URL: " + e.displayText());
    }
    if (uri.getScheme() != "http" && uri.getScheme() != "https")
        throw std::invalid_argument("'" + endpoint.url + "' must start with http:// or https://");
    if (uri.getHost().empty()) throw std::invalid_argument("'" + endpoint.url + "' names no host");
    https_ = uri.getScheme() == "https";
    host_ = uri.getHost();
    port_ = uri.getPort();
    target_ = uri.getPathAndQuery();
    if (target_.empty()) target_.push_back('/');
    if (https_) {
        // With ca_file only those CAs are trusted; otherwise the system store. VERIFY_RELAXED on a
        // client means the server certificate is always verified; Poco also checks the host name.
        Poco::Net::Context::Params params;
        params.caLocation = caFile_;
        params.loadDefaultCAs = caFile_.empty();
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        try {
            context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        } catch (const Poco::Exception& e) {
            throw std::invalid_argument("cannot set up TLS for '" + endpoint.url + "': " + e.displayText());
        }
    }
}

HttpSender::~HttpSender() = default;

void HttpSender::connect() {
    if (https_)
        session_ = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, context_);
    else
        session_ = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
    Poco::Timespan t(static_cast<Poco::Timespan::TimeDiff>(timeout_.count()) * 1000);
    session_->setTimeout(t, t, t);
    session_->setKeepAlive(true);
}

AttemptResult HttpSender::post(const std::string& body, const std::map<std::string, std::string>& headers,
                               std::int64_t nowMillis) {
    // A kept-alive connection the receiver closed while idle fails on first use: that one case
    // is tried again at once on a new connection instead of waiting for a backoff.
    bool reused = session_ != nullptr;
    AttemptResult result = postOnce(body, headers, nowMillis);
    if (reused && result.status == 0 && !result.timedOut) result = postOnce(body, headers, nowMillis);
    return result;
}

AttemptResult HttpSender::postOnce(const std::string& body, const std::map<std::string, std::string>& headers,
                                   std::int64_t nowMillis) {
    AttemptResult result;
    try {
        if (!session_) connect();
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, target_, Poco::Net::HTTPMessage::HTTP_1_1);
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        req.setKeepAlive(true);
        req.set("User-Agent", "rosterd-webhooks");
        for (const auto& [k, v] : headers) req.set(k, v);
        session_->sendRequest(req) << body;
        Poco::Net::HTTPResponse res;
        std::istream& in = session_->receiveResponse(res);
        std::string answer;
        Poco::StreamCopier::copyToString(in, answer);  // read fully so the connection can be reused
        result.status = static_cast<int>(res.getStatus());
        if (res.has("Retry-After")) result.retryAfter = parseRetryAfter(res.get("Retry-After"), nowMillis);
        if (classify(result) != Verdict::Delivered) {
            result.error = "HTTP ";
            result.error.append(std::to_string(result.status)).append(" ").append(res.getReason());
            if (!answer.empty()) result.error.append(": ").append(snippet(answer));
        }
        if (!res.getKeepAlive()) session_.reset();
    } catch (const Poco::TimeoutException& e) {
        result.status = 0;
        result.timedOut = true;
        result.error = "no answer within ";
        result.error.append(std::to_string(timeout_.count())).append(" ms (").append(e.displayText()).append(")");
        session_.reset();
    } catch (const Poco::Exception& e) {
        result.status = 0;
        result.error = e.displayText();
        session_.reset();
    } catch (const std::exception& e) {
        result.status = 0;
        result.error = e.what();
        session_.reset();
    }
    return result;
}

}  // namespace rosterd::webhooks
