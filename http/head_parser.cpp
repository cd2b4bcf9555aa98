#include "http/head_parser.h"

#include <Poco/Exception.h>
#include <Poco/MemoryStream.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <limits>

#include "common/csv_reader.h"
#include "http/http_error.h"

namespace rosterd::http {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::size_t parseLength(const std::string& value) {
    std::string v = Poco::trim(value);
    if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
        throw HttpError(400, "Content-Length '" + value + "' is not a number");
    return static_cast<std::size_t>(std::stoull(v));
}

/// Decodes the target into path and query; 400 when the encoding or the UTF-8 is bad.
void decodeTarget(RequestHead& h) {
    try {
        Poco::URI uri(h.target);
        h.path = uri.getPath();
        for (auto& kv : uri.getQueryParameters()) h.query.push_back(std::move(kv));
    } catch (const Poco::Exception& e) {
        throw HttpError(400, "request target is not a valid URI: " + e.message());
    }
    if (!csv::isValidUtf8(h.path)) throw HttpError(400, "request path is not valid UTF-8 once percent-decoded");
    for (const auto& [k, v] : h.query)
        if (!csv::isValidUtf8(k) || !csv::isValidUtf8(v))
            throw HttpError(400, "query string is not valid UTF-8 once percent-decoded");
}

}  // namespace

std::optional<std::size_t> findHeadEnd(std::string_view buffer) {
    // The head ends at the first empty line; Poco accepts bare LF line ends, so this does too.
    for (std::size_t pos = buffer.find('\n'); pos != std::string_view::npos; pos = buffer.find('\n', pos + 1)) {
        if (pos + 1 < buffer.size() && buffer[pos + 1] == '\n') return pos + 2;
        if (pos + 2 < buffer.size() && buffer[pos + 1] == '\r' && buffer[pos + 2] == '\n') return pos + 3;
    }
    return std::nullopt;
}

RequestHead parseHead(std::string_view head, const ServerLimits& limits) {
    Poco::Net::HTTPRequest req;
    // The byte limit on the head bounds the fields; the count is checked below with its own status.
    req.setFieldLimit(std::numeric_limits<int>::max());
    try {
        Poco::MemoryInputStream in(head.data(), static_cast<std::streamsize>(head.size()));
        req.read(in);
    } catch (const Poco::Exception& e) {
        // Poco bounds one field name (256 bytes), value (8 KiB) and the URI (16 KiB) itself.
        bool tooLarge =
            e.message().find("Field value too long") == 0 || e.message().find("Folded field value too long") == 0;
        throw HttpError(tooLarge ? 431 : 400,
                        (tooLarge ? "request header field too large: " : "malformed request head: ") + e.message());
    }
    RequestHead h;
    h.method = req.getMethod();
    h.target = req.getURI();
    if (h.method.empty() || h.target.empty()) throw HttpError(400, "malformed request line");
    if (req.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0)
        h.http10 = true;
    else if (req.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1)
        throw HttpError(505, "HTTP version '" + req.getVersion() + "' is not supported");
    if (static_cast<int>(req.size()) > limits.maxHeaderCount)
        throw HttpError(431, "more than " + std::to_string(limits.maxHeaderCount) + " header fields");

    std::optional<std::size_t> length;
    bool transferEncoding = false;
    std::string connection;
    for (const auto& [name, value] : req) {
        std::string key = lower(name);
        if (key == "content-length") {
            std::size_t n = parseLength(value);
            if (length && *length != n) throw HttpError(400, "two different Content-Length headers");
            length = n;
        } else if (key == "transfer-encoding") {
            transferEncoding = true;
            if (lower(Poco::trim(value)) != "chunked")
                throw HttpError(501, "Transfer-Encoding '" + value + "' is not supported");
        } else if (key == "connection") {
            connection += "," + lower(value);
        } else if (key == "expect") {
            h.expectContinue = lower(Poco::trim(value)) == "100-continue";
        }
        h.headers.emplace_back(std::move(key), value);
    }
    if (transferEncoding && length) throw HttpError(400, "both Content-Length and Transfer-Encoding were sent");
    if (transferEncoding) throw HttpError(411, "a chunked request body is not supported; send Content-Length");
    h.contentLength = length.value_or(0);
    bool close = connection.find("close") != std::string::npos;
    h.keepAlive = h.http10 ? connection.find("keep-alive") != std::string::npos && !close : !close;
    decodeTarget(h);
    return h;
}

}  // namespace rosterd::http
