// POST /api/v1/users/import on both drivers: per-row results, refusals that create nothing.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "import_fixture.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("import creates the good rows and reports each bad one with its row and reason") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    const std::string longPassword(73, 'p');
    std::string csv =
        "name,EMAIL,Password,rOLe\n"                            // row 1: header, any case
        "Alice Example,Alice@Example.com,correct horse,user\n"  // 2 ok (email lower-cased)
        "Bob,bob@example.com,correct horse\n"                   // 3 missing a field
        "Carol,not-an-email,correct horse,user\n"               // 4 invalid email
        "Dave,dave@example.com,short,user\n"                    // 5 weak password
        "Erin,erin@example.com," +
        longPassword +
        ",user\n"                                                 // 6 over bcrypt's 72 bytes
        "Frank,frank@example.com,correct horse,superuser\n"       // 7 unknown role
        "Root Again,root@example.com,correct horse,admin\n"       // 8 email taken in the store
        "Alice Twin,alice@example.com,correct horse,admin\n"      // 9 taken by row 2 of this file
        "Grace,grace@example.com,correct horse,Admin\n"           // 10 ok, role case-insensitive
        "\n"                                                      // 11 blank line: skipped
        "Heidi,heidi@example.com,correct horse,pending,extra\n";  // 12 too many fields
    auto r = postCsv(c, admin, csv);
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto body = r.json();
    CHECK(body["created"] == 2);
    CHECK(body["failed"] == 8);
    REQUIRE(body["rows"].size() == 10);

    CHECK(rowResult(body, 2)["status"] == "created");
    CHECK(rowResult(body, 2)["email"] == "alice@example.com");
    CHECK(rowResult(body, 10)["status"] == "created");
    auto failed = [&](std::size_t row, const std::string& fragment) {
        const auto& x = rowResult(body, row);
        INFO("row " << row << ": " << x.dump());
        CHECK(x["status"] == "failed");
        CHECK(x["detail"].get<std::string>().find(fragment) != std::string::npos);
    };
    failed(3, "expected 4 fields as in the header, found 3");
    failed(4, "not a valid email");
    failed(5, "at least 8 characters");
    failed(6, "72 bytes");
    failed(7, "role must be one of");
    failed(8, "already taken");
    failed(9, "already used by row 2 of this file");
    failed(12, "found 5");
    CHECK(rowResult(body, 4)["email"] == "not-an-email");

    auto users = usersByEmail(server.app().store());
    CHECK(users.size() == 3);
    CHECK(users["alice@example.com"] == std::make_pair(std::string("Alice Example"), std::string("user")));
    CHECK(users["grace@example.com"] == std::make_pair(std::string("Grace"), std::string("admin")));
    CHECK(users["root@example.com"].first == "Root");  // untouched

    // One user.created event per created user, written with it.
    CHECK(createdEventEmails(server.app().store()) ==
          std::multiset<std::string>{"alice@example.com", "grace@example.com"});
    // The imported password works.
    auto signin = c.post("/api/v1/auths/signin", {{"email", "grace@example.com"}, {"password", "correct horse"}});
    CHECK(signin.status == 200);
    CHECK(server.app().metrics().value("rosterd_import_rows_total", {{"result", "created"}}) == 2);
    CHECK(server.app().metrics().value("rosterd_import_rows_total", {{"result", "failed"}}) == 8);
}

TEST_CASE("import reads a BOM, CRLF and quoted fields with commas, quotes and line breaks") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    std::string csv =
        "\xEF\xBB\xBFName,Email,Password,Role\r\n"
        "\"Hopper, Grace \"\"Amazing\"\"\",grace@example.com,\"pass,with,commas\",user\r\n"
        "\"Two\r\nLines\",two@example.com,correct horse,pending\r\n"
        "J\xC3\xB6rg \xE6\x9D\xB1,jorg@example.com,correct horse,user\r\n"
        "'=Formula Name,formula@example.com,correct horse,user\r\n";
    auto r = postCsv(c, admin, csv);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["created"] == 3);
    CHECK(r.json()["failed"] == 1);  // the multi-line name: names refuse control characters
    CHECK(rowResult(r.json(), 3)["detail"].get<std::string>().find("control characters") != std::string::npos);
    CHECK(rowResult(r.json(), 4)["email"] == "jorg@example.com");  // the multi-line record is one row
    auto users = usersByEmail(server.app().store());
    CHECK(users["grace@example.com"].first == "Hopper, Grace \"Amazing\"");
    CHECK(users.count("two@example.com") == 0);
    CHECK(users["jorg@example.com"].first == "J\xC3\xB6rg \xE6\x9D\xB1");
    CHECK(users["formula@example.com"].first == "=Formula Name");  // the export's neutralising apostrophe is undone
    auto signin = c.post("/api/v1/auths/signin", {{"email", "grace@example.com"}, {"password", "pass,with,commas"}});
    CHECK(signin.status == 200);
}

TEST_CASE("import accepts a multipart/form-data file upload") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    std::string csv = "Name,Email,Password,Role\r\nMulti Part,multi@example.com,correct horse,user\r\n";
    std::string boundary = "----rosterdBoundary7MA4YWxkTrZu0gW";
    auto r = postCsv(c, admin, multipartBody(boundary, csv), "multipart/form-data; boundary=" + boundary);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["created"] == 1);
    CHECK(usersByEmail(server.app().store()).count("multi@example.com") == 1);

    // A multipart body without a file part, or with a broken boundary, is a 400.
    std::string noFile = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nhello\r\n--b--\r\n";
    auto none = postCsv(c, admin, noFile, "multipart/form-data; boundary=b");
    CHECK(none.status == 400);
    CHECK(none.json()["detail"].get<std::string>().find("no 'file' part") != std::string::npos);
    auto noBoundary = postCsv(c, admin, multipartBody("x", csv), "multipart/form-data");
    CHECK(noBoundary.status == 400);
}

TEST_CASE("a file over [import] max_bytes or not CSV at all is refused whole and creates nothing") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver, {{"import.max_bytes", "300"}});
    auto c = server.client();
    std::string admin = adminToken(c);
    auto& store = server.app().store();
    auto usersBefore = userCount(store);
    auto eventsBefore = createdEventEmails(store).size();

    std::string big = "Name,Email,Password,Role\n";
    for (int i = 0; big.size() <= 300; ++i)
        big += "U" + std::to_string(i) + ",u" + std::to_string(i) + "@example.com,correct horse,user\n";
    auto tooBig = postCsv(c, admin, big);
    CHECK(tooBig.status == 413);
    CHECK(tooBig.json()["detail"].get<std::string>().find("max_bytes") != std::string::npos);
    std::string boundary = "bnd";
    auto tooBigMultipart = postCsv(c, admin, multipartBody(boundary, big), "multipart/form-data; boundary=" + boundary);
    CHECK(tooBigMultipart.status == 413);
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01", 20);
    auto binary = postCsv(c, admin, png);
    CHECK(binary.status == 400);
    CHECK(binary.json()["detail"].get<std::string>().find("CSV row 1") != std::string::npos);

    auto noHeader = postCsv(c, admin, "alice@example.com,correct horse\n");
    CHECK(noHeader.status == 400);
    CHECK(noHeader.json()["detail"].get<std::string>().find("header Name,Email,Password,Role") != std::string::npos);

    auto unterminated = postCsv(
        c, admin, "Name,Email,Password,Role\nOk,ok@example.com,correct horse,user\n\"Open,x@example.com,pw,user\n");
    CHECK(unterminated.status == 400);
    CHECK(unterminated.json()["detail"].get<std::string>().find("CSV row 3") != std::string::npos);
    CHECK(unterminated.json()["detail"].get<std::string>().find("unterminated") != std::string::npos);

    auto stray = postCsv(
        c, admin, "Name,Email,Password,Role\nOk,ok@example.com,correct horse,user\nBad\"Quote,b@example.com,pw,user\n");
    CHECK(stray.status == 400);
    CHECK(stray.json()["detail"].get<std::string>().find("stray quote") != std::string::npos);

    auto empty = postCsv(c, admin, "");
    CHECK(empty.status == 400);
    auto json = postCsv(c, admin, "{\"users\": []}", "application/json");
    CHECK(json.status == 400);

    CHECK(userCount(store) == usersBefore);
    CHECK(createdEventEmails(store).size() == eventsBefore);
}

TEST_CASE("only admins may import or export") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    auto made = c.post(
        "/api/v1/users/create",
        {{"name", "Plain"}, {"email", "plain@example.com"}, {"password", "correct horse"}, {"role", "user"}}, admin);
    REQUIRE(made.status == 200);
    auto signin = c.post("/api/v1/auths/signin", {{"email", "plain@example.com"}, {"password", "correct horse"}});
    std::string user = signin.json().at("token").get<std::string>();
    std::string csv = "Name,Email,Password,Role\nX,x@example.com,correct horse,admin\n";
    CHECK(postCsv(c, "", csv).status == 401);
    CHECK(postCsv(c, user, csv).status == 403);
    CHECK(c.get("/api/v1/users/export").status == 401);
    CHECK(c.get("/api/v1/users/export", user).status == 403);
    CHECK(usersByEmail(server.app().store()).count("x@example.com") == 0);
}

TEST_CASE("a running import reports progress in /metrics and does not hold up other requests") {
    auto driver = GENERATE(allDrivers());
    // A real cost, so that the import takes long enough to be observed while it runs.
    TestServer server(driver, {{"auth.bcrypt_cost", "11"}});
    auto c = server.client();
    std::string admin = adminToken(c);
    std::string csv = "Name,Email,Password,Role\n";
    const int rows = 24;
    for (int i = 0; i < rows; ++i)
        csv += "User " + std::to_string(i) + ",user" + std::to_string(i) + "@example.com,correct horse,user\n";

    HttpResult importResult;
    std::thread importer([&] { importResult = postCsv(c, admin, csv); });
    auto& m = server.app().metrics();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (m.value("rosterd_imports_running") < 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(m.value("rosterd_imports_running") == 1);

    // While it runs, another request is answered, and /metrics shows the import's progress.
    auto started = std::chrono::steady_clock::now();
    auto list = c.get("/api/v1/users/", admin);
    auto metricsText = c.get("/metrics").body;
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    bool stillRunning = m.value("rosterd_imports_running") == 1;
    importer.join();
    CHECK(list.status == 200);
    CHECK(stillRunning);
    INFO("other requests took " << took << " s");
    CHECK(metricsText.find("rosterd_import_progress_rows{state=\"total\"} " + std::to_string(rows)) !=
          std::string::npos);
    CHECK(metricsText.find("rosterd_imports_running 1") != std::string::npos);

    INFO(importResult.body);
    REQUIRE(importResult.status == 200);
    CHECK(importResult.json()["created"] == rows);
    CHECK(m.value("rosterd_imports_running") == 0);
    CHECK(m.value("rosterd_import_progress_rows", {{"state", "total"}}) == 0);
    CHECK(m.value("rosterd_import_rows_total", {{"result", "created"}}) == rows);
    CHECK(createdEventEmails(server.app().store()).size() == rows);
}

TEST_CASE("the import route takes files up to [import] max_bytes even above [server] max_body_bytes") {
    auto driver = GENERATE(allDrivers());
    TestServer server(driver, {{"server.max_body_bytes", "1024"}, {"import.max_bytes", "8000"}});
    auto c = server.client();
    std::string admin = adminToken(c);
    std::string csv = "Name,Email,Password,Role\n";
    int rows = 0;
    for (; csv.size() < 5000; ++rows)
        csv += "Person " + std::to_string(rows) + ",p" + std::to_string(rows) + "@example.com,correct horse,user\n";
    auto r = postCsv(c, admin, csv);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["created"] == rows);
    // Other routes keep the server's limit.
    auto other = c.request("POST", "/api/v1/users/create", std::string(2000, ' '), admin);
    CHECK(other.status == 413);
}
