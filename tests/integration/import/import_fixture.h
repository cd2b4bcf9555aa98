#pragma once
// Shared steps for the import and export tests: an admin on a fresh server, CSV bodies, store reads.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "common/csv_reader.h"
#include "support/test_database.h"
#include "support/test_server.h"

namespace rosterd::test {

/// Signs up the first user (who becomes the primary admin) and returns the token.
inline std::string adminToken(const HttpClient& c, const std::string& email = "root@example.com") {
    auto r = c.post("/api/v1/auths/signup", {{"name", "Root"}, {"email", email}, {"password", "correct horse"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json().at("token").get<std::string>();
}

inline HttpResult postCsv(const HttpClient& c, const std::string& token, const std::string& csv,
                          const std::string& contentType = "text/csv") {
    return c.request("POST", "/api/v1/users/import", csv, token, {}, contentType);
}

/// A multipart/form-data body with `csv` as the part named `field`.
inline std::string multipartBody(const std::string& boundary, const std::string& csv,
                                 const std::string& field = "file") {
    return "--" + boundary + "\r\n" +
           "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
           "not the file\r\n"
           "--" +
           boundary + "\r\n" + "Content-Disposition: form-data; name=\"" + field +
           "\"; filename=\"users.csv\"\r\n"
           "Content-Type: text/csv\r\n\r\n" +
           csv + "\r\n--" + boundary + "--\r\n";
}

inline std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::istringstream in(text);
    csv::CsvReader reader(in);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> f;
    while (reader.next(f)) rows.push_back(f);
    return rows;
}

inline std::int64_t userCount(db::Store& store) {
    return store.transact([](db::Transaction& tx) { return tx.exec("SELECT count(*) FROM users").front().i64(0); },
                          db::TxMode::Read);
}

/// Emails carried by the user.created events in the outbox.
inline std::multiset<std::string> createdEventEmails(db::Store& store) {
    return store.transact(
        [](db::Transaction& tx) {
            std::multiset<std::string> out;
            for (auto row : tx.exec("SELECT payload FROM outbox WHERE type = 'user.created'"))
                out.insert(nlohmann::json::parse(row.str(0)).at("email").get<std::string>());
            return out;
        },
        db::TxMode::Read);
}

/// email -> (name, role) of every user.
inline std::map<std::string, std::pair<std::string, std::string>> usersByEmail(db::Store& store) {
    return store.transact(
        [](db::Transaction& tx) {
            std::map<std::string, std::pair<std::string, std::string>> out;
            for (auto row : tx.exec("SELECT email, name, role FROM users")) out[row.str(0)] = {row.str(1), row.str(2)};
            return out;
        },
        db::TxMode::Read);
}

inline const nlohmann::json& rowResult(const nlohmann::json& body, std::size_t row) {
    for (const auto& r : body.at("rows"))
        if (r.at("row").get<std::size_t>() == row) return r;
    FAIL("no result for row " << row << " in " << body.dump());
    static nlohmann::json none;
    return none;
}

}  // namespace rosterd::test
