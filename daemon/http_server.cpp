#include "daemon/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/errors.h"

namespace rosterd::daemon {

HttpResponse responseForException(const std::exception& e, const std::string& route) {
    auto log = [&](int status) {
        if (status >= 500) spdlog::error("{} -> {}: {}", route, status, e.what());
        else spdlog::info("{} -> {}: {}", route, status, e.what());
    };
    auto reply = [&](int status, const std::string& detail) {
        log(status);
        return HttpResponse::error(status, detail);
    };
    if (auto* rl = dynamic_cast<const RateLimited*>(&e)) {
        log(429);
        HttpResponse r = HttpResponse::error(429, rl->what());
        r.headers.emplace_back("Retry-After", std::to_string(rl->retryAfterSeconds()));
        return r;
    }
    if (dynamic_cast<const InvalidInput*>(&e)) return reply(400, e.what());
    if (dynamic_cast<const Unauthenticated*>(&e)) return reply(401, e.what());
    if (dynamic_cast<const PermissionDenied*>(&e)) return reply(403, e.what());
    if (dynamic_cast<const NotFound*>(&e)) return reply(404, e.what());
    if (dynamic_cast<const Conflict*>(&e)) return reply(409, e.what());
    if (dynamic_cast<const PayloadTooLarge*>(&e)) return reply(413, e.what());
    if (dynamic_cast<const Unavailable*>(&e)) return reply(503, e.what());
    if (dynamic_cast<const ConnectionError*>(&e)) return reply(503, std::string("database unavailable: ") + e.what());
    if (dynamic_cast<const LdapError*>(&e)) return reply(503, std::string("directory unavailable: ") + e.what());
    if (dynamic_cast<const nlohmann::json::exception*>(&e)) return reply(400, std::string("invalid JSON field: ") + e.what());
    return reply(500, "internal error");
}

namespace {

class RouterHandler final : public Poco::Net::HTTPRequestHandler {
public:
    RouterHandler(const Router& router, Metrics& metrics, const ServerConfig& config, std::atomic<int>& inFlight)
        : router_(router), metrics_(metrics), config_(config), inFlight_(inFlight) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        ++inFlight_;
        metrics_.inc("rosterd_http_requests_in_flight", {}, 1);
        auto started = std::chrono::steady_clock::now();
        HttpRequest req;
        HttpResponse res;
        std::string route = "unmatched";
        try {
            req = toRequest(in);
            Router::Match m = router_.match(req);
            readBody(in, req, m.handler && m.maxBodyBytes ? m.maxBodyBytes : config_.maxBodyBytes);
            if (m.handler) {
                route = m.pattern;
                res = (*m.handler)(req);
            } else if (m.pathKnown) {
                res = HttpResponse::error(405, "method " + req.method + " not allowed on " + req.path);
            } else {
                res = HttpResponse::error(404, "no route for " + req.method + " " + req.path);
            }
        } catch (const std::exception& e) {
            res = responseForException(e, req.method + " " + (route == "unmatched" ? req.path : route));
        }
        try {
            send(res, out, req.method == "HEAD");
        } catch (const std::exception& e) {
            spdlog::warn("{} {}: response not fully sent: {}", req.method, req.path, e.what());
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        metrics_.inc("rosterd_http_requests_total", {{"method", req.method}, {"route", route}, {"status", std::to_string(res.status)}});
        metrics_.observe("rosterd_http_request_duration_seconds", {{"route", route}}, seconds);
        spdlog::debug("{} {} -> {} ({:.1f} ms)", req.method, req.path, res.status, seconds * 1000);
        metrics_.inc("rosterd_http_requests_in_flight", {}, -1);
        --inFlight_;
    }

private:
    HttpRequest toRequest(Poco::Net::HTTPServerRequest& in) {
        HttpRequest req;
        req.method = in.getMethod();
        Poco::URI uri(in.getURI());
        req.path = uri.getPath();
        for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
        for (const auto& [k, v] : in) {
            std::string name = k;
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            req.headers[name] = v;
        }
        req.clientAddress = in.clientAddress().host().toString();
        req.secure = in.secure() || req.header("x-forwarded-proto").value_or("") == "https";
        return req;
    }

    /// Reads the body up to `limit` bytes (the route's own limit, or the server's).
    static void readBody(Poco::Net::HTTPServerRequest& in, HttpRequest& req, std::size_t limit) {
        auto declared = in.getContentLength64();
        if (declared != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH && static_cast<std::uint64_t>(declared) > limit)
            throw PayloadTooLarge("request body is larger than " + std::to_string(limit) + " bytes");
        std::istream& body = in.stream();
        char buf[8192];
        while (body.read(buf, sizeof buf) || body.gcount() > 0) {
            req.body.append(buf, static_cast<std::size_t>(body.gcount()));
            if (req.body.size() > limit)
                throw PayloadTooLarge("request body is larger than " + std::to_string(limit) + " bytes");
        }
    }

    static void send(HttpResponse& res, Poco::Net::HTTPServerResponse& out, bool headOnly) {
        out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
        out.setContentType(res.contentType);
        for (const auto& [k, v] : res.headers) out.add(k, v);
        if (res.stream) {
            out.setChunkedTransferEncoding(true);
            std::ostream& os = out.send();
            if (!headOnly) res.stream(os);
            return;
        }
        std::string body = !res.rawBody.empty() || res.body.is_null() ? res.rawBody : res.body.dump();
        out.setContentLength64(static_cast<Poco::Int64>(body.size()));
        std::ostream& os = out.send();
        if (!headOnly) os << body;
    }

    const Router& router_;
    Metrics& metrics_;
    const ServerConfig& config_;
    std::atomic<int>& inFlight_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(const Router& router, Metrics& metrics, const ServerConfig& config, std::atomic<int>& inFlight)
        : router_(router), metrics_(metrics), config_(config), inFlight_(inFlight) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RouterHandler(router_, metrics_, config_, inFlight_);
    }

private:
    const Router& router_;
    Metrics& metrics_;
    const ServerConfig& config_;
    std::atomic<int>& inFlight_;
};

}  // namespace

struct HttpServer::Impl {
    Impl(const ServerConfig& c, const Router& r, Metrics& m) : config(c), router(r), metrics(m) {}
    ServerConfig config;
    const Router& router;
    Metrics& metrics;
    std::atomic<int> inFlight{0};
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    std::uint16_t port = 0;
};

HttpServer::HttpServer(const ServerConfig& config, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, router, metrics)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    Poco::Net::ServerSocket socket;
    try {
        Poco::Net::SocketAddress address(impl_->config.host, impl_->config.port);
        socket.bind(address, true);
        socket.listen(impl_->config.queue);
    } catch (const Poco::Exception& e) {
        throw Error("cannot listen on " + impl_->config.host + ":" + std::to_string(impl_->config.port) + ": " +
                    e.displayText());
    }
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(impl_->config.threads);
    params->setMaxQueued(impl_->config.queue);
    params->setKeepAlive(true);
    // A pool of our own: Poco's default pool is shared and capped at 16 threads.
    impl_->pool = std::make_unique<Poco::ThreadPool>(2, impl_->config.threads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(impl_->router, impl_->metrics, impl_->config, impl_->inFlight), *impl_->pool, socket, params);
    impl_->server->start();
}

void HttpServer::stop() {
    if (!impl_->server) return;
    impl_->server->stop();  // stops accepting; running requests go on
    auto deadline = std::chrono::steady_clock::now() + impl_->config.shutdownTimeout;
    while (impl_->inFlight.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    impl_->server->stopAll(true);
    impl_->server.reset();
    impl_->pool->joinAll();
    impl_->pool.reset();
}

std::uint16_t HttpServer::port() const { return impl_->port; }
int HttpServer::inFlight() const { return impl_->inFlight.load(); }

}  // namespace rosterd::daemon
