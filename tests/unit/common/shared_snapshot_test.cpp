#include "common/shared_snapshot.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using rosterd::SharedSnapshot;

namespace {
struct Settings {
    int version;
    std::string name;
};
}  // namespace

TEST_CASE("a snapshot read stays valid after the value is replaced") {
    SharedSnapshot<Settings> snapshot(std::make_shared<const Settings>(Settings{1, "first"}));
    auto first = snapshot.load();
    snapshot.store(std::make_shared<const Settings>(Settings{2, "second"}));
    CHECK(first->version == 1);
    CHECK(first->name == "first");
    CHECK(snapshot.load()->version == 2);
}

// Run under ThreadSanitizer (scripts/test's tsan stage): readers and a writer at once, as request
// threads and a configuration reload are. A racy implementation is reported there.
TEST_CASE("readers and a writer may use a snapshot at once") {
    SharedSnapshot<Settings> snapshot(std::make_shared<const Settings>(Settings{0, "start"}));
    constexpr int kStores = 2000;
    std::atomic<bool> done{false};
    std::vector<std::thread> readers;
    std::atomic<long> seen{0};
    std::atomic<bool> wentBack{false};  // Catch2's assertions are not thread-safe: checked after join
    std::atomic<int> reading{0};
    for (int r = 0; r < 3; ++r) {
        readers.emplace_back([&] {
            int last = 0;
            ++reading;
            do {
                auto value = snapshot.load();
                // Versions only grow: a reader never sees an older value after a newer one.
                if (value->version < last) wentBack = true;
                last = value->version;
                seen += static_cast<long>(value->name.size());
            } while (!done.load());
        });
    }
    // Stores start once every reader reads, so they overlap on a loaded machine too.
    while (reading.load() < 3) std::this_thread::yield();
    for (int v = 1; v <= kStores; ++v)
        snapshot.store(std::make_shared<const Settings>(Settings{v, "v" + std::to_string(v)}));
    done = true;
    for (auto& t : readers) t.join();
    CHECK(snapshot.load()->version == kStores);
    CHECK_FALSE(wentBack.load());
    CHECK(seen.load() > 0);  // the readers did read
}
