#pragma once
// A request held open by its client: the head and part of the body go out, the rest when asked.
// Lets tests put a request "in flight" on the real binary without a test-only route.
#include <string>

#include "support/http_client.h"

namespace rosterd::test {

class SlowRequest {
public:
    /// Connects, sends the head of POST `path` with `body`'s length and its first `firstPart` bytes.
    SlowRequest(int port, const std::string& path, const std::string& body, std::size_t firstPart);
    ~SlowRequest();
    SlowRequest(const SlowRequest&) = delete;
    SlowRequest& operator=(const SlowRequest&) = delete;
    /// Sends the rest of the body and reads the whole response (until the server closes).
    std::string finish();

private:
    void sendAll(const std::string& data);
    int fd_ = -1;
    std::string body_;
    std::size_t sent_;
};

/// Polls /metrics until rosterd_http_requests_in_flight reaches `atLeast` (the scrape counts as
/// one); false after 20 s.
bool waitForInFlight(const HttpClient& c, double atLeast);

}  // namespace rosterd::test
