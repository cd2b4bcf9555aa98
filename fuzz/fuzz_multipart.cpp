// Fuzzes the CSV upload's multipart/form-data reading: the first input line is the boundary, the
// rest the body. Bad uploads fail with InvalidInput or PayloadTooLarge, never anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/errors.h"
#include "daemon/http_types.h"
#include "daemon/routes_import_export.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto nl = text.find('\n');
    if (nl == std::string::npos) return 0;
    rosterd::daemon::HttpRequest req;
    req.method = "POST";
    req.path = "/api/v1/users/import";
    req.headers["content-type"] = "multipart/form-data; boundary=" + text.substr(0, nl);
    req.body = text.substr(nl + 1);
    try {
        rosterd::daemon::csvFromRequest(req, 64 * 1024);
    } catch (const rosterd::InvalidInput&) {
    } catch (const rosterd::PayloadTooLarge&) {
    }
    return 0;
}
