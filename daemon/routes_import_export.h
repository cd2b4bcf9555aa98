#pragma once
// POST /api/v1/users/import and GET /api/v1/users/export.
#include <string>

#include "accounts/user_import.h"
#include "common/clock.h"
#include "daemon/http_types.h"
#include "daemon/request_auth.h"
#include "daemon/router.h"
#include "db/store.h"

namespace rosterd::daemon {

/// Registers the import and export routes (admin only).
void registerImportExportRoutes(Router& router, accounts::UserImporter& importer, db::Store& store, RequestAuth& auth,
                                const Clock& clock);

/// The CSV a request carries: the body of a text/csv request, or the `file` part (else the first
/// part with a file name) of multipart/form-data. Throws InvalidInput / PayloadTooLarge.
std::string csvFromRequest(const HttpRequest& req, std::size_t maxBytes);

}  // namespace rosterd::daemon
