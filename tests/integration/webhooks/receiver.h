#pragma once
// A real HTTP receiver on loopback for webhook tests and the benchmark: records every request and
// answers with whatever the test's responder says (status, headers, optionally blocking).
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rosterd::test {

struct Received {
    std::string path;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;
    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? "" : it->second;
    }
};

struct Reply {
    int status = 200;
    std::map<std::string, std::string> headers;
    std::string body;
};

/// Decides the answer to the n-th request (0-based).
using Responder = std::function<Reply(const Received&, std::size_t n)>;

class Receiver {
public:
    /// Listens on 127.0.0.1:port (0: a free port) until destroyed or stop().
    /// With `tls` it speaks HTTPS with that server context.
    explicit Receiver(int port = 0, bool record = true, Poco::Net::Context::Ptr tls = nullptr) : record_(record) {
        responder_ = [](const Received&, std::size_t) { return Reply{}; };
        Poco::Net::SocketAddress address("127.0.0.1", static_cast<Poco::UInt16>(port));
        Poco::Net::ServerSocket socket =
            tls ? Poco::Net::SecureServerSocket(address, 256, tls) : Poco::Net::ServerSocket(address, 256);
        port_ = socket.address().port();
        scheme_ = tls ? "https" : "http";
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(16);
        params->setMaxQueued(256);
        params->setKeepAlive(true);
        params->setMaxKeepAliveRequests(0);  // unlimited
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
        server_->start();
    }
    ~Receiver() { stop(); }
    Receiver(const Receiver&) = delete;
    Receiver& operator=(const Receiver&) = delete;

    int port() const { return port_; }
    std::string url(const std::string& path = "/hook") const {
        return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
    }
    void respond(Responder r) {
        std::lock_guard lock(mutex_);
        responder_ = std::move(r);
    }
    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    /// Requests answered so far.
    std::size_t count() const { return count_.load(); }
    /// Requests that reached the responder (answered or still being answered).
    std::size_t started() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }
    /// Polls until at least n requests arrived or the deadline passes; returns whether they did.
    bool waitFor(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, timeout, [&] { return count_.load() >= n; });
    }
    void stop() {
        if (server_) {
            server_->stopAll(true);
            server_.reset();
        }
    }

private:
    class Handler final : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(Receiver& r) : r_(r) {}
        void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
            Received rec;
            rec.path = in.getURI();
            for (const auto& [k, v] : in) {
                std::string name = k;
                for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                rec.headers[name] = v;
            }
            Poco::StreamCopier::copyToString(in.stream(), rec.body);
            Responder responder;
            std::size_t n;
            {
                std::lock_guard lock(r_.mutex_);
                responder = r_.responder_;
                n = r_.seen_++;
            }
            Reply reply = responder(rec, n);
            {
                std::lock_guard lock(r_.mutex_);
                if (r_.record_) r_.received_.push_back(rec);
                ++r_.count_;
            }
            r_.arrived_.notify_all();
            out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
            for (const auto& [k, v] : reply.headers) out.set(k, v);
            out.setContentType("text/plain");
            out.setContentLength(static_cast<std::streamsize>(reply.body.size()));
            out.send() << reply.body;
        }

    private:
        Receiver& r_;
    };
    class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(Receiver& r) : r_(r) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(r_);
        }

    private:
        Receiver& r_;
    };

    bool record_;
    int port_ = 0;
    std::string scheme_;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    Responder responder_;
    std::vector<Received> received_;
    std::size_t seen_ = 0;
    std::atomic<std::size_t> count_{0};
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace rosterd::test
