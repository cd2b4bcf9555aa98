#include "support/test_database.h"

#include <filesystem>

#include "support/postgres_server.h"
#include "support/process.h"

namespace rosterd::test {

std::string freshDatabaseUrl(db::Driver driver) {
    if (driver == db::Driver::Postgres) return PostgresServer::instance().freshDatabaseUrl();
    return "sqlite://" + makeTempDir("rosterd-sqlite") + "/rosterd.db";
}

TestDatabase::TestDatabase(db::Driver driver, bool migrate) : driver_(driver) {
    url_ = freshDatabaseUrl(driver);
    if (driver == db::Driver::Sqlite) dir_ = std::filesystem::path(url_.substr(9)).parent_path().string();
    db::StoreConfig config;
    config.url = url_;
    config.poolSize = 4;
    store_ = db::Store::open(config);
    if (migrate) store_->migrate();
}

TestDatabase::~TestDatabase() {
    store_.reset();
    if (!dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

}  // namespace rosterd::test
