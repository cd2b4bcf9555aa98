#include "support/http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cctype>

namespace rosterd::test {

HttpResult HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& token, const std::map<std::string, std::string>& headers,
                               const std::string& contentType) const {
    Poco::Net::HTTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) req.set("Authorization", "Bearer " + token);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT") {
        req.setContentType(contentType);
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    std::ostream& os = session.sendRequest(req);
    os << body;
    Poco::Net::HTTPResponse res;
    std::istream& is = session.receiveResponse(res);
    HttpResult out;
    out.status = static_cast<int>(res.getStatus());
    for (const auto& [k, v] : res) {
        std::string name = k;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto& slot = out.headers[name];
        slot += (slot.empty() ? "" : "\n") + v;
    }
    Poco::StreamCopier::copyToString(is, out.body);
    return out;
}

}  // namespace rosterd::test
