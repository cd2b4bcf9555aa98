#include "http/event_server.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/errors.h"
#include "common/log_safe.h"
#include "http/connection.h"
#include "http/head_parser.h"
#include "http/http_error.h"
#include "http/worker_pool.h"

namespace rosterd::http {
namespace {

using Clock = std::chrono::steady_clock;
using State = Connection::State;
constexpr std::uint64_t kListenerId = 0;
constexpr std::uint64_t kWakeId = 1;
// After a response that closes the connection, unread input is drained this long so closing does
// not reset the connection before the client has read the answer.
constexpr std::chrono::milliseconds kLingerTime{2000};

std::string peerAddress(const sockaddr_storage& a) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, buf, sizeof buf);
    else if (a.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, buf, sizeof buf);
    return buf;
}

/// The method of a head that may not parse, for the metrics label of a refused request.
std::string methodOf(const std::string& in) {
    return methodLabel(in.substr(0, std::min(in.find(' '), std::size_t{16})));
}

std::string seconds(std::chrono::milliseconds d) {
    return fmt::format("{:g} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace

struct Completion {
    std::uint64_t id;
    std::string bytes;
    bool close;
};

struct EventServer::Loop {
    Loop(const ServerLimits& l, Callbacks c, Metrics& m) : limits(l), callbacks(std::move(c)), metrics(m) {}

    ServerLimits limits;
    Callbacks callbacks;
    Metrics& metrics;
    FileDescriptor epoll;
    FileDescriptor wake;
    Poco::Net::ServerSocket listener;
    bool listening = false;
    std::uint32_t listenerEvents = 0;  ///< epoll interest of the listening socket
    std::uint32_t wakeEvents = 0;
    std::uint16_t port = 0;
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> conns;
    std::set<std::pair<Clock::time_point, std::uint64_t>> timers;
    std::uint64_t nextId = 2;
    std::mutex completionMutex;
    std::vector<Completion> completions;
    std::atomic<bool> stopRequested{false};
    bool stopping = false;
    Clock::time_point shutdownDeadline{};
    std::optional<Clock::time_point> acceptResumeAt;
    Clock::time_point lastRefusalLog{};
    std::unique_ptr<WorkerPool> pool;
    std::thread thread;

    // ---- registration, deadlines, bookkeeping ----
    void watch(int fd, std::uint64_t id, std::uint32_t& current, std::uint32_t wanted) {
        if (current == wanted) return;
        epoll_event ev{};
        ev.events = wanted;
        ev.data.u64 = id;
        if (wanted == 0)
            ::epoll_ctl(epoll.get(), EPOLL_CTL_DEL, fd, nullptr);
        else
            ::epoll_ctl(epoll.get(), current == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
        current = wanted;
    }
    void watch(Connection& c, std::uint32_t wanted) { watch(c.fd.get(), c.id, c.events, wanted); }

    void setDeadline(Connection& c, std::optional<Clock::time_point> at) {
        if (c.deadline) timers.erase({*c.deadline, c.id});
        c.deadline = at;
        if (at) timers.insert({*at, c.id});
    }

    void setInFlight(Connection& c, bool on) {
        if (c.inFlight == on) return;
        c.inFlight = on;
        metrics.inc("rosterd_http_requests_in_flight", {}, on ? 1 : -1);
    }

    void countConnections() { metrics.set("rosterd_http_connections_open", {}, static_cast<double>(conns.size())); }

    void close(Connection& c) {
        setInFlight(c, false);
        setDeadline(c, std::nullopt);
        watch(c, 0);
        std::uint64_t id = c.id;  // erase destroys c, key included
        conns.erase(id);          // closes the socket
        countConnections();
    }

    // ---- accepting ----
    void acceptAll() {
        for (;;) {
            sockaddr_storage addr{};
            socklen_t len = sizeof addr;
            int fd = ::accept4(listener.impl()->sockfd(), reinterpret_cast<sockaddr*>(&addr), &len,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    // Out of descriptors: pause accepting briefly instead of spinning on the listener.
                    spdlog::warn("http: cannot accept a connection: {}; pausing accepts for 100 ms",
                                 std::strerror(errno));
                    watch(listener.impl()->sockfd(), kListenerId, listenerEvents, 0);
                    acceptResumeAt = Clock::now() + std::chrono::milliseconds(100);
                }
                return;  // EAGAIN: all taken; other errors concern only that connection
            }
            FileDescriptor owned(fd);
            if (static_cast<int>(conns.size()) >= limits.maxConnections) {
                refuseConnection(owned);
                continue;
            }
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            auto c = std::make_unique<Connection>();
            c->fd = std::move(owned);
            c->id = nextId++;
            c->peer = peerAddress(addr);
            Connection& conn = *c;
            conns.emplace(conn.id, std::move(c));
            countConnections();
            watch(conn, EPOLLIN);
            // A connection that sends nothing is a slow head.
            setDeadline(conn, Clock::now() + std::min(limits.headerTimeout, limits.requestTimeout));
        }
    }

    void refuseConnection(FileDescriptor& fd) {
        metrics.inc("rosterd_http_connections_refused_total");
        auto now = Clock::now();
        if (now - lastRefusalLog > std::chrono::seconds(1)) {
            lastRefusalLog = now;
            spdlog::warn("http: {} connections open (server.max_connections); new ones get 503", conns.size());
        }
        char scratch[4096];
        while (::recv(fd.get(), scratch, sizeof scratch, 0) > 0) {
        }
        std::string bytes = serialize(errorResponse(503, "too many connections; try again later"), false, true);
        ::send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        ::shutdown(fd.get(), SHUT_WR);
    }

    // ---- reading and framing ----
    void onReadable(Connection& c) {
        char buf[65536];
        ssize_t n = ::recv(c.fd.get(), buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        if (n <= 0) {
            if (c.state == State::ReadingHead || c.state == State::ReadingBody)
                spdlog::debug("http: {} closed the connection in the middle of a request", c.peer);
            close(c);
            return;
        }
        if (c.state == State::Closing) return;  // drained and dropped
        c.in.append(buf, static_cast<std::size_t>(n));
        advance(c);
    }

    void advance(Connection& c) {
        auto now = Clock::now();
        if (c.state == State::Idle) {
            // Blank lines between requests are allowed (RFC 9112 2.2).
            std::size_t skip = c.in.find_first_not_of("\r\n");
            c.in.erase(0, skip == std::string::npos ? c.in.size() : skip);
            if (c.in.empty()) return;
            c.state = State::ReadingHead;
            c.requestStart = now;
            setDeadline(c, now + std::min(limits.headerTimeout, limits.requestTimeout));
        }
        if (c.state == State::ReadingHead) {
            auto end = findHeadEnd(std::string_view(c.in).substr(0, limits.maxHeaderBytes + 4));
            if (!end || *end > limits.maxHeaderBytes) {
                if (end || c.in.size() > limits.maxHeaderBytes)
                    refuse(c, methodOf(c.in), 431,
                           "request head is larger than " + std::to_string(limits.maxHeaderBytes) + " bytes");
                return;
            }
            std::size_t bodyLimit = 0;
            try {
                c.head = parseHead(std::string_view(c.in).substr(0, *end), limits);
                bodyLimit = callbacks.bodyLimit(c.head);
            } catch (const HttpError& e) {
                refuse(c, methodOf(c.in), e.status(), e.what());
                return;
            }
            c.in.erase(0, *end);
            setInFlight(c, true);
            if (c.head.contentLength > bodyLimit) {
                refuse(c, methodLabel(c.head.method), 413,
                       "request body is larger than " + std::to_string(bodyLimit) + " bytes");
                return;
            }
            if (c.head.expectContinue && c.in.size() < c.head.contentLength) {
                static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
                ::send(c.fd.get(), kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
            }
            c.state = State::ReadingBody;
            setDeadline(c, c.requestStart + limits.requestTimeout);
        }
        if (c.state == State::ReadingBody) {
            if (c.in.size() < c.head.contentLength) return;
            dispatch(c);
        }
    }

    /// Answers a request the loop refuses itself and closes the connection after it.
    void refuse(Connection& c, const std::string& method, int status, const std::string& detail) {
        spdlog::info("http: {} {} -> {}: {}", c.peer, method, status, logSafe(detail));
        metrics.inc("rosterd_http_requests_total",
                    {{"method", method}, {"route", "unmatched"}, {"status", std::to_string(status)}});
        c.in.clear();
        startWriting(c, serialize(errorResponse(status, detail), false, true), true);
    }

    void dispatch(Connection& c) {
        Request req;
        req.head = std::move(c.head);
        req.body = c.in.substr(0, req.head.contentLength);
        c.in.erase(0, req.head.contentLength);
        req.clientAddress = c.peer;
        c.state = State::Processing;
        setDeadline(c, std::nullopt);
        watch(c, 0);  // nothing to do on this socket until the response is ready
        pool->post([this, id = c.id, req = std::move(req)]() mutable { run(id, req); });
    }

    /// On a worker: runs the handler and serialises its response.
    void run(std::uint64_t id, Request& req) {
        Response res;
        try {
            res = callbacks.handle(req);
        } catch (const std::exception& e) {
            spdlog::error("http: {} {}: {}", logSafe(req.head.method), logSafe(req.head.path), logSafe(e.what()));
            res = errorResponse(500, "internal error");
        } catch (...) {
            res = errorResponse(500, "internal error");
        }
        if (req.head.http10) res.chunked = false;
        bool close = res.close || !req.head.keepAlive || stopRequested;
        Completion done{id, serialize(res, req.head.method == "HEAD", close), close};
        {
            std::lock_guard lock(completionMutex);
            completions.push_back(std::move(done));
        }
        std::uint64_t one = 1;
        [[maybe_unused]] auto w = ::write(wake.get(), &one, sizeof one);
    }

    void takeCompletions() {
        std::uint64_t count;
        [[maybe_unused]] auto r = ::read(wake.get(), &count, sizeof count);
        std::vector<Completion> ready;
        {
            std::lock_guard lock(completionMutex);
            ready.swap(completions);
        }
        for (auto& done : ready) {
            auto it = conns.find(done.id);
            if (it != conns.end()) startWriting(*it->second, std::move(done.bytes), done.close || stopping);
        }
    }

    // ---- writing ----
    void startWriting(Connection& c, std::string bytes, bool close) {
        c.state = State::Writing;
        c.out = std::move(bytes);
        c.outOffset = 0;
        c.closeAfterWrite = close;
        write(c);
    }

    void write(Connection& c) {
        while (c.outOffset < c.out.size()) {
            ssize_t n = ::send(c.fd.get(), c.out.data() + c.outOffset, c.out.size() - c.outOffset, MSG_NOSIGNAL);
            if (n > 0) {
                c.outOffset += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                watch(c, EPOLLOUT);
                // A reader that takes nothing for a whole request timeout is dropped.
                setDeadline(c, Clock::now() + limits.requestTimeout);
                return;
            }
            close(c);
            return;
        }
        c.out.clear();
        c.out.shrink_to_fit();
        setInFlight(c, false);
        if (c.closeAfterWrite) {
            ::shutdown(c.fd.get(), SHUT_WR);
            c.state = State::Closing;
            c.in.clear();
            watch(c, EPOLLIN);
            setDeadline(c, Clock::now() + kLingerTime);
            return;
        }
        c.state = State::Idle;
        watch(c, EPOLLIN);
        setDeadline(c, Clock::now() + limits.keepAliveTimeout);
        if (!c.in.empty()) advance(c);  // a pipelined request already arrived
    }

    // ---- timers ----
    void expire(Clock::time_point now) {
        while (!timers.empty() && timers.begin()->first <= now) {
            std::uint64_t id = timers.begin()->second;
            timers.erase(timers.begin());
            auto it = conns.find(id);
            if (it == conns.end()) continue;
            Connection& c = *it->second;
            c.deadline.reset();
            if (c.state == State::ReadingHead || c.state == State::ReadingBody) {
                bool head = c.state == State::ReadingHead;
                auto limit = head ? std::min(limits.headerTimeout, limits.requestTimeout) : limits.requestTimeout;
                refuse(c, head ? methodOf(c.in) : methodLabel(c.head.method), 408,
                       std::string(head ? "request head" : "request body") + " not received within " + seconds(limit));
            } else {
                close(c);  // idle past keep-alive, a reader that stopped reading, or lingering done
            }
        }
    }

    int waitMillis(Clock::time_point now) const {
        std::optional<Clock::time_point> next;
        if (!timers.empty()) next = timers.begin()->first;
        if (acceptResumeAt && (!next || *acceptResumeAt < *next)) next = acceptResumeAt;
        if (stopping && (!next || shutdownDeadline < *next)) next = shutdownDeadline;
        if (!next) return 1000;
        auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - now).count();
        return static_cast<int>(std::clamp<long long>(ms, 0, 1000));
    }

    // ---- stopping ----
    void beginStop() {
        stopping = true;
        shutdownDeadline = Clock::now() + limits.shutdownTimeout;
        watch(listener.impl()->sockfd(), kListenerId, listenerEvents, 0);
        listener.close();
        listening = false;
        std::vector<std::uint64_t> idle;
        for (auto& [id, c] : conns)
            if (c->state == State::Idle || c->state == State::ReadingHead || c->state == State::Closing)
                idle.push_back(id);
            else
                c->closeAfterWrite = true;
        for (auto id : idle) close(*conns.at(id));
    }

    bool busy() const {
        for (const auto& [id, c] : conns)
            if (c->state == State::ReadingBody || c->state == State::Processing || c->state == State::Writing)
                return true;
        return false;
    }

    void run() {
        std::vector<epoll_event> events(512);
        for (;;) {
            auto now = Clock::now();
            if (stopRequested && !stopping) beginStop();
            if (stopping && (!busy() || now >= shutdownDeadline)) break;
            if (acceptResumeAt && now >= *acceptResumeAt && !stopping) {
                acceptResumeAt.reset();
                watch(listener.impl()->sockfd(), kListenerId, listenerEvents, EPOLLIN);
            }
            expire(now);
            int n = ::epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), waitMillis(Clock::now()));
            for (int i = 0; i < n; ++i) {
                std::uint64_t id = events[i].data.u64;
                std::uint32_t ev = events[i].events;
                if (id == kListenerId) {
                    if (!stopping) acceptAll();
                    continue;
                }
                if (id == kWakeId) {
                    takeCompletions();
                    continue;
                }
                auto it = conns.find(id);
                if (it == conns.end()) continue;
                Connection& c = *it->second;
                if (ev & EPOLLOUT)
                    write(c);
                else if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP))
                    onReadable(c);
            }
        }
        while (!conns.empty()) close(*conns.begin()->second);
    }
};

EventServer::EventServer(const ServerLimits& limits, Callbacks callbacks, Metrics& metrics)
    : loop_(std::make_unique<Loop>(limits, std::move(callbacks), metrics)) {}

EventServer::~EventServer() { stop(); }

void EventServer::start(const std::string& host, std::uint16_t port) {
    Loop& l = *loop_;
    try {
        l.listener.bind(Poco::Net::SocketAddress(host, port), true);
        l.listener.listen(l.limits.backlog);
        l.listener.setBlocking(false);
    } catch (const Poco::Exception& e) {
        throw Error("cannot listen on " + host + ":" + std::to_string(port) + ": " + e.displayText());
    }
    l.listening = true;
    l.port = l.listener.address().port();
    l.epoll = FileDescriptor(::epoll_create1(EPOLL_CLOEXEC));
    l.wake = FileDescriptor(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!l.epoll || !l.wake) throw Error(std::string("cannot create the event loop: ") + std::strerror(errno));
    l.watch(l.listener.impl()->sockfd(), kListenerId, l.listenerEvents, EPOLLIN);
    l.watch(l.wake.get(), kWakeId, l.wakeEvents, EPOLLIN);
    l.metrics.describe("rosterd_http_connections_open", "gauge", "Client connections open now");
    l.countConnections();
    l.pool = std::make_unique<WorkerPool>(l.limits.threads);
    l.thread = std::thread([&l] { l.run(); });
}

void EventServer::stop() {
    Loop& l = *loop_;
    if (!l.thread.joinable()) return;
    l.stopRequested = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto w = ::write(l.wake.get(), &one, sizeof one);
    l.thread.join();
    l.pool.reset();  // lets a handler still running finish
}

std::uint16_t EventServer::port() const { return loop_->port; }

}  // namespace rosterd::http
