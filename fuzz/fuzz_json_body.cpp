// libFuzzer target: request bodies through HttpRequest::json() (the depth limit while parsing) and
// the permission tree's validation, shaping and merging, as the permissions routes use them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "accounts/permissions.h"
#include "common/errors.h"
#include "daemon/http_types.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    rosterd::daemon::HttpRequest req;
    req.body.assign(reinterpret_cast<const char*>(data), size);
    nlohmann::json body;
    try {
        body = req.json();
    } catch (const rosterd::InvalidInput&) {
        return 0;  // a clear 400: what the route would answer
    }
    const nlohmann::json& p = body.contains("permissions") ? body["permissions"] : body;
    bool valid = true;
    try {
        rosterd::accounts::validatePermissions(p);
    } catch (const rosterd::InvalidInput&) {
        valid = false;
    }
    std::string dropped;
    nlohmann::json shaped = rosterd::accounts::shapePermissions(p, &dropped);
    if (valid != dropped.empty()) __builtin_trap();  // validation and shaping must agree
    nlohmann::json tree = rosterd::accounts::builtinPermissions();
    rosterd::accounts::mergePermissions(tree, shaped);
    rosterd::accounts::overlayPermissions(tree, p);
    if (tree.size() != rosterd::accounts::builtinPermissions().size()) __builtin_trap();  // nothing outside the tree
    (void)rosterd::accounts::storedPermissions(req.body, "fuzz input");
    return 0;
}
