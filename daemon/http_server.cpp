#include "daemon/http_server.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <sstream>

#include "common/errors.h"
#include "common/log_safe.h"
#include "http/event_server.h"

namespace rosterd::daemon {

HttpResponse responseForException(const std::exception& e, const std::string& route) {
    auto log = [&](int status) {
        if (status >= 500)
            spdlog::error("{} -> {}: {}", logSafe(route), status, logSafe(e.what()));
        else
            spdlog::info("{} -> {}: {}", logSafe(route), status, logSafe(e.what()));
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
    // A unique key taken by a concurrent request between the service's check and
    // its insert.
    if (dynamic_cast<const ConstraintViolation*>(&e))
        return reply(409, "the request conflicts with a concurrent change; reload and try again");
    if (dynamic_cast<const DbError*>(&e)) return reply(500, "internal error (storage)");
    if (dynamic_cast<const LdapError*>(&e)) return reply(503, std::string("directory unavailable: ") + e.what());
    if (dynamic_cast<const ConfigError*>(&e)) return reply(500, "internal error (configuration)");
    if (dynamic_cast<const nlohmann::json::exception*>(&e))
        return reply(400, std::string("invalid JSON field: ") + e.what());
    return reply(500, "internal error");
}

namespace {

/// Builds the handler's view of a request that the event loop has read and
/// checked.
HttpRequest toRequest(http::Request& in) {
    HttpRequest req;
    req.method = in.head.method;
    req.path = in.head.path;
    for (auto& [k, v] : in.head.query) req.query[k] = v;
    for (auto& [k, v] : in.head.headers) req.headers[k] = v;  // names already lower-cased
    req.body = std::move(in.body);
    req.clientAddress = in.clientAddress;
    req.secure = req.header("x-forwarded-proto").value_or("") == "https";
    return req;
}

/// The full response bytes' content: a streamed body is rendered into the
/// buffer here, on the worker.
http::Response toResponse(HttpResponse& res) {
    http::Response out;
    out.status = res.status;
    out.headers.emplace_back("Content-Type", res.contentType);
    for (auto& h : res.headers) out.headers.push_back(h);
    if (res.stream) {
        std::ostringstream os;
        res.stream(os);
        out.body = std::move(os).str();
        out.chunked = true;
    } else if (!res.rawBody.empty() || res.body.is_null()) {
        out.body = std::move(res.rawBody);
    } else {
        out.body = res.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return out;
}

http::ServerLimits limitsOf(const ServerConfig& c) {
    http::ServerLimits l;
    l.threads = c.threads;
    l.backlog = c.queue;
    l.maxConnections = c.maxConnections;
    l.maxHeaderBytes = c.maxHeaderBytes;
    l.maxHeaderCount = c.maxHeaderCount;
    l.maxBodyBytes = c.maxBodyBytes;
    l.headerTimeout = c.headerTimeout;
    l.requestTimeout = c.requestTimeout;
    l.keepAliveTimeout = c.keepAliveTimeout;
    l.shutdownTimeout = c.shutdownTimeout;
    return l;
}

}  // namespace

struct HttpServer::Impl {
    Impl(const ServerConfig& c, const Router& r, Metrics& m) : config(c), router(r), metrics(m) {}

    /// The route's own body limit, or the server's.
    std::size_t bodyLimit(const http::RequestHead& head) const {
        HttpRequest probe;
        probe.method = head.method;
        probe.path = head.path;
        Router::Match m = router.match(probe);
        return m.handler && m.maxBodyBytes ? m.maxBodyBytes : config.maxBodyBytes;
    }

    /// Runs on a worker: routes the request, maps exceptions, records metrics.
    http::Response handle(http::Request& in) {
        auto started = std::chrono::steady_clock::now();
        HttpRequest req = toRequest(in);
        HttpResponse res;
        std::string route = "unmatched";
        try {
            Router::Match m = router.match(req);
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
        http::Response out;
        try {
            out = toResponse(res);
        } catch (const std::exception& e) {
            res = responseForException(e, req.method + " " + route);
            out = toResponse(res);
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        metrics.inc(
            "rosterd_http_requests_total",
            {{"method", http::methodLabel(req.method)}, {"route", route}, {"status", std::to_string(out.status)}});
        metrics.observe("rosterd_http_request_duration_seconds", {{"route", route}}, seconds);
        spdlog::debug("{} {} -> {} ({:.1f} ms)", logSafe(req.method), logSafe(req.path), out.status, seconds * 1000);
        return out;
    }

    ServerConfig config;
    const Router& router;
    Metrics& metrics;
    std::unique_ptr<http::EventServer> server;
};

HttpServer::HttpServer(const ServerConfig& config, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, router, metrics)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    Impl& i = *impl_;
    http::EventServer::Callbacks callbacks;
    callbacks.bodyLimit = [&i](const http::RequestHead& head) { return i.bodyLimit(head); };
    callbacks.handle = [&i](http::Request& req) { return i.handle(req); };
    i.server = std::make_unique<http::EventServer>(limitsOf(i.config), std::move(callbacks), i.metrics);
    i.server->start(i.config.host, i.config.port);
}

void HttpServer::stop() {
    if (impl_->server) impl_->server->stop();
}

std::uint16_t HttpServer::port() const { return impl_->server ? impl_->server->port() : 0; }

}  // namespace rosterd::daemon
