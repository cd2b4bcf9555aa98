// Fuzzes the CSV user import end to end on an SQLite store: header mapping, row validation
// (names, emails, roles, passwords) and the inserts. A file is refused whole with InvalidInput or
// PayloadTooLarge, or every row is reported once, created or failed with a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "accounts/password_hasher.h"
#include "accounts/user_import.h"
#include "accounts/user_import_pool.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/metrics.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace {

/// One store and importer for the whole run, in a temporary folder removed at exit.
struct Importer {
    std::string dir;
    std::unique_ptr<rosterd::db::Store> store;
    rosterd::ManualClock clock;
    rosterd::webhooks::Outbox outbox{clock};
    rosterd::accounts::PasswordHasher hasher{4};
    rosterd::accounts::HashPool pool{1};
    rosterd::Metrics metrics;
    std::unique_ptr<rosterd::accounts::UserImporter> importer;

    Importer() {
        char tmpl[] = "/tmp/rosterd-fuzz-import-XXXXXX";
        if (!mkdtemp(tmpl)) std::abort();
        dir = tmpl;
        rosterd::db::StoreConfig config;
        config.url = "sqlite://" + dir + "/rosterd.db";
        config.poolSize = 2;
        store = rosterd::db::Store::open(config);
        store->migrate();
        rosterd::accounts::ImportConfig importConfig;
        importConfig.maxBytes = 64 * 1024;
        importer = std::make_unique<rosterd::accounts::UserImporter>(*store, outbox, clock, hasher, 8, importConfig,
                                                                     pool, metrics);
    }
    ~Importer() {
        importer.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Importer state;
    std::string csv(reinterpret_cast<const char*>(data), size);
    try {
        rosterd::accounts::ImportResult result = state.importer->run(csv);
        if (result.created + result.failed != result.rows.size()) std::abort();
        for (const auto& row : result.rows)
            if (!row.created && row.detail.empty()) std::abort();  // a failure always says why
        result.toJson().dump();  // the response must render (valid UTF-8 in every reason)
    } catch (const rosterd::InvalidInput&) {
    } catch (const rosterd::PayloadTooLarge&) {
    }
    return 0;
}
