#include "daemon/routes_import_export.h"

#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "accounts/user_export.h"
#include "common/errors.h"
#include "common/log_safe.h"

namespace rosterd::daemon {

namespace {

/// Room for the multipart boundaries and part headers around a file of max_bytes.
constexpr std::size_t kMultipartOverhead = std::size_t{64} * 1024;
/// A browser's or curl's upload form sends the file and perhaps a few fields.
constexpr int kMaxMultipartParts = 16;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// Whether the body closes its parts with "--boundary--" at the start of a line (RFC 2046). Poco's
/// reader ends quietly at the end of input, so a body cut short would otherwise yield the rows
/// before the cut.
bool hasCloseDelimiter(const std::string& body, const std::string& boundary) {
    const std::string close = "--" + boundary + "--";
    for (auto pos = body.find(close); pos != std::string::npos; pos = body.find(close, pos + 1))
        if (pos == 0 || body[pos - 1] == '\n') return true;
    return false;
}

std::string fileFromMultipart(const HttpRequest& req, const std::string& contentType, std::size_t maxBytes) {
    try {
        Poco::Net::MediaType type(contentType);
        if (!type.hasParameter("boundary")) throw InvalidInput("multipart/form-data without a boundary parameter");
        // RFC 2046: 1 to 70 characters. An empty one would leave the part reader searching without end.
        const std::string& boundary = type.getParameter("boundary");
        if (boundary.empty() || boundary.size() > 70)
            throw InvalidInput("the multipart boundary must be 1 to 70 characters long");
        if (!hasCloseDelimiter(req.body, boundary))
            throw InvalidInput("the multipart upload is incomplete (no closing boundary); nothing was imported");
        std::istringstream body(req.body);
        Poco::Net::MultipartReader reader(body, boundary);
        std::optional<std::string> chosen;
        bool chosenIsFile = false;
        // Some malformed bodies make the reader yield empty parts without consuming input, for
        // ever: a form upload has a handful of parts, so a bound on their count ends the loop.
        int parts = 0;
        while (reader.hasNextPart()) {
            if (++parts > kMaxMultipartParts)
                throw InvalidInput("the multipart upload has more than " + std::to_string(kMaxMultipartParts) +
                                   " parts");
            Poco::Net::MessageHeader headers;
            reader.nextPart(headers);
            std::string disposition;
            Poco::Net::NameValueCollection params;
            Poco::Net::MessageHeader::splitParameters(headers.get("Content-Disposition", ""), disposition, params);
            bool named = params.get("name", "") == "file";
            bool hasFileName = params.has("filename");
            std::string content;
            char buf[8192];
            std::istream& in = reader.stream();
            while (in.read(buf, sizeof buf) || in.gcount() > 0) {
                content.append(buf, static_cast<std::size_t>(in.gcount()));
                if (content.size() > maxBytes)
                    throw PayloadTooLarge("the uploaded file is larger than " + std::to_string(maxBytes) +
                                          " bytes ([import] max_bytes)");
            }
            if (named && !chosenIsFile) {
                chosen = std::move(content);
                chosenIsFile = true;
            } else if (hasFileName && !chosen) {
                chosen = std::move(content);
            }
        }
        if (!chosen) throw InvalidInput("the multipart upload has no 'file' part");
        return *chosen;
    } catch (const Poco::Exception& e) {
        throw InvalidInput("malformed multipart/form-data body: " + e.displayText());
    }
}

}  // namespace

std::string csvFromRequest(const HttpRequest& req, std::size_t maxBytes) {
    std::string contentType = req.header("content-type").value_or("text/csv");
    std::string mediaType = lower(contentType.substr(0, contentType.find(';')));
    while (!mediaType.empty() && mediaType.back() == ' ') mediaType.pop_back();
    if (mediaType == "multipart/form-data") return fileFromMultipart(req, contentType, maxBytes);
    if (mediaType == "text/csv" || mediaType == "application/csv" || mediaType == "text/plain" ||
        mediaType == "application/octet-stream" || mediaType.empty())
        return req.body;
    throw InvalidInput("send the file as text/csv or as a multipart/form-data 'file' part (got " + contentType + ")");
}

void registerImportExportRoutes(Router& router, accounts::UserImporter& importer, db::Store& store, RequestAuth& auth,
                                const Clock& clock) {
    router.add(
        "POST", "/api/v1/users/import",
        [&](HttpRequest& req) {
            Principal admin = auth.requireAdmin(req);
            std::string csv = csvFromRequest(req, importer.config().maxBytes);
            // This thread only waits: the hashing runs on the import's own pool, so the server's
            // other threads keep answering.
            accounts::ImportResult result = importer.run(csv);
            spdlog::info("user import by {} <{}>: {} created, {} failed", admin.userId, logSafe(admin.email),
                         result.created, result.failed);
            return HttpResponse::json(result.toJson());
        },
        importer.config().maxBytes + kMultipartOverhead);

    router.add("GET", "/api/v1/users/export", [&](HttpRequest& req) {
        Principal admin = auth.requireAdmin(req);
        store.ping();  // an unreachable store is a 503 now rather than a truncated download later
        std::int64_t now = clock.nowSeconds();
        HttpResponse res;
        res.contentType = "text/csv; charset=utf-8";
        res.headers.emplace_back("Content-Disposition",
                                 "attachment; filename=\"" + accounts::exportFileName(now) + "\"");
        res.headers.emplace_back("Cache-Control", "no-store");
        std::string who = admin.userId;
        res.stream = [&store, who](std::ostream& out) {
            std::size_t n = accounts::exportUsers(store, out);
            spdlog::info("user export by {}: {} users", who, n);
        };
        return res;
    });
}

}  // namespace rosterd::daemon
