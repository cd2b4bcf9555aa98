// GET /api/v1/users/export on both drivers: headers, quoting, neutralised formulas, round trip.
#include <catch2/catch.hpp>
#include <regex>

#include "common/csv_writer.h"
#include "import_fixture.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
const std::vector<std::pair<std::string, std::string>> kTrickyNames = {
    {"=HYPERLINK(\"http://evil.example\",\"click\")", "formula@example.com"},
    {"+1 555 0100", "plus@example.com"},
    {"-minus", "minus@example.com"},
    {"@at", "at@example.com"},
    {"'=already", "apostrophe@example.com"},
    {"Smith, John", "comma@example.com"},
    {"Say \"hi\"", "quote@example.com"},
    {"\xC3\x89mile Zola \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC",
     "\xC3\xA9mile@example.com"},  // names refuse control characters
    {"J\xC3\xB6rg", "utf8@example.com"},
};

/// Imports the tricky names through the API with the given role each.
void importTricky(const HttpClient& c, const std::string& admin) {
    std::ostringstream csv;
    csv::CsvWriter w(csv, csv::WriterOptions{"\r\n", false});
    w.writeRow({"Name", "Email", "Password", "Role"});
    std::size_t i = 0;
    for (const auto& [name, email] : kTrickyNames)
        w.writeRow({name, email, "correct horse", i++ % 2 ? "user" : "pending"});
    // An apostrophe-led name is read as neutralised on import, so it goes in already escaped.
    std::string text = csv.str();
    auto pos = text.find("'=already");
    text.insert(pos, "'");
    auto r = postCsv(c, admin, text);
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(r.json()["failed"] == 0);
}

/// A user as sync creates them from the directory: source ldap, a login name and an entry.
void addDirectoryUser(db::Store& store) {
    store.transact([](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO users (id, name, email, role, source, username, external_id, external_dn, created_at, "
            "updated_at, last_active_at) VALUES ('00000000-0000-4000-8000-0000000000d1', 'Dora Directory', "
            "'dora@example.com', 'user', 'ldap', 'dora', 'entry-uuid-dora', 'uid=dora,ou=people,dc=example,dc=org', "
            "1700000000, 1700000000, 0)");
    });
}
}  // namespace

TEST_CASE("export streams every user as quoted, neutralised CSV with a dated file name") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    importTricky(c, admin);

    auto r = c.get("/api/v1/users/export", admin);
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type").rfind("text/csv", 0) == 0);
    CHECK(r.header("transfer-encoding") == "chunked");
    std::smatch m;
    std::string disposition = r.header("content-disposition");
    REQUIRE(std::regex_match(disposition, m, std::regex(R"(attachment; filename="users-(\d{8}T\d{6}Z)\.csv")")));

    auto rows = parseCsv(r.body);
    REQUIRE(rows.size() == kTrickyNames.size() + 2);
    CHECK(rows[0] == std::vector<std::string>{"ID", "Name", "Email", "Role", "Source", "Active", "Created At",
                                              "Last Active At", "Username", "DN"});
    std::map<std::string, std::vector<std::string>> byEmail;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == 10);
        byEmail[rows[i][2]] = rows[i];
        CHECK(std::regex_match(rows[i][6], std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")));
        CHECK(std::regex_match(rows[i][7], std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")));
        CHECK(rows[i][4] == "local");
        CHECK(rows[i][5] == "true");
        CHECK(rows[i][8].empty());  // local users have no directory login name nor entry
        CHECK(rows[i][9].empty());
    }
    // Formula triggers get a leading apostrophe; everything else is exact.
    CHECK(byEmail["formula@example.com"][1] == "'=HYPERLINK(\"http://evil.example\",\"click\")");
    CHECK(byEmail["plus@example.com"][1] == "'+1 555 0100");
    CHECK(byEmail["minus@example.com"][1] == "'-minus");
    CHECK(byEmail["at@example.com"][1] == "'@at");
    CHECK(byEmail["apostrophe@example.com"][1] == "''=already");
    CHECK(byEmail["comma@example.com"][1] == "Smith, John");
    CHECK(byEmail["quote@example.com"][1] == "Say \"hi\"");
    CHECK(byEmail["\xC3\xA9mile@example.com"][1] == "\xC3\x89mile Zola \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC");
    CHECK(byEmail["utf8@example.com"][1] == "J\xC3\xB6rg");
    CHECK(byEmail["root@example.com"][3] == "admin");
    // The raw text: the formula cell is quoted (it holds quotes and a comma) and starts with the apostrophe.
    CHECK(r.body.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",") != std::string::npos);
    CHECK(r.body.find("\r\n") != std::string::npos);
}

TEST_CASE("export pages through many users in creation order") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    // Inserted directly, several per second, so that pages break inside runs of equal created_at.
    const int n = 2500;
    server.app().store().transact([&](db::Transaction& tx) {
        for (int i = 0; i < n; ++i) {
            char id[40];
            std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
            tx.exec(
                "INSERT INTO users (id, name, email, role, created_at, updated_at, last_active_at) "
                "VALUES ($1, $2, $3, 'user', $4, $4, $4)",
                {std::string(id), "Bulk " + std::to_string(i), "bulk" + std::to_string(i) + "@example.com",
                 std::int64_t(1'700'000'000 + i / 7)});
        }
    });
    auto r = c.get("/api/v1/users/export", admin);
    REQUIRE(r.status == 200);
    auto rows = parseCsv(r.body);
    REQUIRE(rows.size() == n + 2);
    std::set<std::string> emails;
    for (std::size_t i = 1; i < rows.size(); ++i) emails.insert(rows[i][2]);
    CHECK(emails.size() == n + 1);
    CHECK(rows[1][1] == "Bulk 0");
    CHECK(rows[1][6] == "2023-11-14T22:13:20Z");
}

TEST_CASE("export names a directory user's login name and entry in the Username and DN columns") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    addDirectoryUser(server.app().store());
    auto r = c.get("/api/v1/users/export", admin);
    REQUIRE(r.status == 200);
    auto rows = parseCsv(r.body);
    REQUIRE(rows.size() == 3);
    std::map<std::string, std::vector<std::string>> byEmail;
    for (std::size_t i = 1; i < rows.size(); ++i) byEmail[rows[i][2]] = rows[i];
    CHECK(byEmail["dora@example.com"] == std::vector<std::string>{"00000000-0000-4000-8000-0000000000d1",
                                                                  "Dora Directory", "dora@example.com", "user", "ldap",
                                                                  "true", "2023-11-14T22:13:20Z", "", "dora",
                                                                  "uid=dora,ou=people,dc=example,dc=org"});
    CHECK(byEmail["root@example.com"][8].empty());
    CHECK(byEmail["root@example.com"][9].empty());
}

TEST_CASE("an exported file, given passwords, re-imports without loss of name, email or role") {
    auto driver = GENERATE(allDrivers());
    TestServer source(driver);
    auto c = source.client();
    std::string admin = adminToken(c);
    importTricky(c, admin);
    addDirectoryUser(source.app().store());  // its Username and DN cells go back in and are ignored
    auto exported = c.get("/api/v1/users/export", admin);
    REQUIRE(exported.status == 200);
    REQUIRE(parseCsv(exported.body)[0].back() == "DN");

    // The admin adds a Password column to the file as exported and imports it elsewhere.
    auto rows = parseCsv(exported.body);
    std::ostringstream withPasswords;
    csv::CsvWriter w(withPasswords, csv::WriterOptions{"\r\n", false});  // cells go back exactly as exported
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto row = rows[i];
        row.push_back(i == 0 ? "Password" : "new password " + std::to_string(i));
        if (i == 0 || row[2] != "root@example.com") w.writeRow(row);
    }

    TestServer target(driver);
    auto t = target.client();
    std::string targetAdmin = adminToken(t, "other-root@example.com");
    auto imported = postCsv(t, targetAdmin, withPasswords.str());
    INFO(imported.body);
    REQUIRE(imported.status == 200);
    CHECK(imported.json()["created"] == kTrickyNames.size() + 1);
    CHECK(imported.json()["failed"] == 0);

    auto before = usersByEmail(source.app().store());
    auto after = usersByEmail(target.app().store());
    before.erase("root@example.com");
    after.erase("other-root@example.com");
    CHECK(after == before);
    for (const auto& [name, email] : kTrickyNames) CHECK(after[email].first == name);
}
