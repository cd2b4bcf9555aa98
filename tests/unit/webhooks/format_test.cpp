#include <catch2/catch.hpp>

#include "webhooks/event.h"
#include "webhooks/event_filter.h"
#include "webhooks/event_types.h"
#include "webhooks/payload.h"
#include "webhooks/webhook_admin.h"

using namespace rosterd::webhooks;

namespace {
Event signupEvent() {
    return Event{"ev-1",
                 "user.signup",
                 1'700'000'000'123,
                 {{"id", "u1"}, {"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"role", "pending"}}};
}
}  // namespace

TEST_CASE("event patterns: '*', a category with '.*', or an exact known type") {
    CHECK(matchesAny({"*"}, "sync.failed"));
    CHECK(matchesAny({"user.*"}, "user.role_changed"));
    CHECK_FALSE(matchesAny({"user.*"}, "group.created"));
    CHECK_FALSE(matchesAny({"user.*"}, "userx.created"));
    CHECK(matchesAny({"group.deleted", "sync.*"}, "sync.completed"));
    CHECK_FALSE(matchesAny({"group.deleted"}, "group.created"));
    CHECK_NOTHROW(validateEventPatterns({"*"}));
    CHECK_NOTHROW(validateEventPatterns({"user.*", "group.members_changed"}));
    CHECK_THROWS_WITH(validateEventPatterns({"user.created", "usr.*"}), Catch::Contains("'usr.*'"));
    CHECK_THROWS_WITH(validateEventPatterns({"user.exploded"}), Catch::Contains("'user.exploded'"));
    CHECK_THROWS(validateEventPatterns({}));
    for (auto type : event_types::kAll) CHECK(matchesAny({std::string(type.substr(0, type.find('.'))) + ".*"}, type));
}

TEST_CASE("timestamps are ISO 8601 UTC with milliseconds") {
    CHECK(isoTimestamp(0) == "1970-01-01T00:00:00.000Z");
    CHECK(isoTimestamp(1'700'000'000'123) == "2023-11-14T22:13:20.123Z");
}

TEST_CASE("the standard body is type, timestamp and data") {
    auto body = nlohmann::json::parse(renderBody(Format::Standard, signupEvent()));
    CHECK(body ==
          nlohmann::json(
              {{"type", "user.signup"}, {"timestamp", "2023-11-14T22:13:20.123Z"}, {"data", signupEvent().data}}));
}

TEST_CASE("openwebui sends Open WebUI's signup notification with the user as a JSON string") {
    auto body = nlohmann::json::parse(renderBody(Format::OpenWebUi, signupEvent()));
    CHECK(body.at("action") == "signup");
    CHECK(body.at("message") == "New user signed up: Ada Lovelace");
    REQUIRE(body.at("user").is_string());
    CHECK(nlohmann::json::parse(body.at("user").get<std::string>()) == signupEvent().data);
    Event role{"ev-2",
               "user.role_changed",
               0,
               {{"user", {{"id", "u1"}, {"name", "Ada"}}}, {"old_role", "pending"}, {"new_role", "user"}}};
    auto rb = nlohmann::json::parse(renderBody(Format::OpenWebUi, role));
    CHECK(rb.at("action") == "user.role_changed");
    CHECK(rb.at("message") == "User role changed: Ada (pending -> user)");
    CHECK(nlohmann::json::parse(rb.at("user").get<std::string>()).at("id") == "u1");
}

TEST_CASE("chat formats carry the message in each service's incoming-webhook shape") {
    Event e = signupEvent();
    CHECK(nlohmann::json::parse(renderBody(Format::Slack, e)) ==
          nlohmann::json({{"text", "New user signed up: Ada Lovelace"}}));
    auto discord = nlohmann::json::parse(renderBody(Format::Discord, e));
    CHECK(discord.at("content") == "New user signed up: Ada Lovelace");
    auto teams = nlohmann::json::parse(renderBody(Format::Teams, e));
    CHECK(teams.at("@type") == "MessageCard");
    CHECK(teams.at("text") == "New user signed up: Ada Lovelace");
    Event members{
        "ev-3", "group.members_changed", 0, {{"group", {{"name", "Ops"}}}, {"added", {"a", "b"}}, {"removed", {"c"}}}};
    CHECK(eventMessage(members) == "Group members changed: Ops (+2, -1)");
    CHECK(eventMessage(Event{"ev-4", "sync.failed", 0, {{"error", "timeout"}}}) == "Directory sync failed: timeout");
    Event longName = e;
    longName.data["name"] = std::string(3000, 'x');
    CHECK(nlohmann::json::parse(renderBody(Format::Discord, longName)).at("content").get<std::string>().size() == 2000);
}

TEST_CASE("formats are named in configuration") {
    CHECK(parseFormat("openwebui") == Format::OpenWebUi);
    CHECK(std::string(formatName(Format::Teams)) == "teams");
    CHECK_THROWS_WITH(parseFormat("json"), Catch::Contains("standard, openwebui, slack, discord, teams"));
}

TEST_CASE("admin views show endpoint URLs without their path") {
    CHECK(redactUrl("https://hooks.slack.com/services/T000/B000/XXXX") == "https://hooks.slack.com/...");
    CHECK(redactUrl("http://127.0.0.1:9000/hook?token=abc") == "http://127.0.0.1:9000/...");
    CHECK(redactUrl("https://user:pw@example.com/") == "https://example.com/");
}
