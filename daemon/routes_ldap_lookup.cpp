// GET /api/v1/ldap/lookup/{name}: why can (or can't) this directory user sign in, and as what.
#include "daemon/routes_ldap_lookup.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/errors.h"
#include "common/log_safe.h"
#include "daemon/ldap_lookup.h"

namespace rosterd::daemon {
namespace {

/// The name as the directory will be asked for it; throws InvalidInput when it cannot be one.
/// (The filter escapes the value; this only keeps out what no login name holds.)
std::string lookupName(const HttpRequest& req) {
    const std::string& name = req.param("name");
    if (name.size() > kMaxLookupNameBytes)
        throw InvalidInput("the name is longer than " + std::to_string(kMaxLookupNameBytes) + " bytes");
    if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        throw InvalidInput("the name must not contain control characters");
    return name;
}

}  // namespace

void registerLdapLookupRoute(Router& router, DirectoryAccess& access, RequestAuth& auth, db::Store& store,
                             std::function<sync::SyncConfig()> syncSettings) {
    router.add("GET", "/api/v1/ldap/lookup/{name}",
               [&access, &auth, &store, syncSettings = std::move(syncSettings)](HttpRequest& req) {
                   Principal admin = auth.requireAdmin(req);
                   const std::string name = lookupName(req);
                   // Taken once and kept for the whole request: a reload meanwhile leaves this directory alive.
                   const DirectoryBinding binding = access.current();
                   if (!binding.directory)
                       throw InvalidInput("LDAP is not enabled on this server ([ldap] enabled = false)");
                   spdlog::info("ldap lookup of '{}' by {}", logSafe(name), logSafe(admin.email));
                   nlohmann::json report = lookupDirectoryUser(*binding.directory, syncSettings(), store, name);
                   if (report["entries_matched"].get<std::size_t>() == 0)
                       throw NotFound("no directory user '" + name + "': " + report["reasons"][0].get<std::string>());
                   return HttpResponse::json(std::move(report));
               });
}

}  // namespace rosterd::daemon
