#include "daemon/app.h"
#include "daemon/routes_import_export.h"

namespace rosterd::daemon {

void App::wireImport() {
    auto cfg = this->config();
    hashPool_ = std::make_unique<accounts::HashPool>(cfg->import.threads);
    importer_ = std::make_unique<accounts::UserImporter>(
        *store_, outbox_, clock_, accounts_->hasher(), cfg->auth.passwordMinLength, cfg->import, *hashPool_, metrics_);
    registerImportExportRoutes(router_, *importer_, *store_, *auth_, clock_);
}

}  // namespace rosterd::daemon
