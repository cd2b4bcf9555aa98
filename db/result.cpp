#include "db/result.h"

#include <charconv>

#include "common/errors.h"

namespace rosterd::db {

namespace {
const std::string kEmpty;
}

const std::optional<std::string>& ResultSet::Row::cell(std::size_t col) const {
    if (col >= rs_->columns_.size()) throw DbError("column index " + std::to_string(col) + " out of range");
    return rs_->cells_[index_ * rs_->columns_.size() + col];
}

const std::string& ResultSet::Row::str(std::size_t col) const {
    const auto& c = cell(col);
    return c ? *c : kEmpty;
}

std::optional<std::int64_t> ResultSet::Row::optI64(std::size_t col) const {
    const auto& c = cell(col);
    if (!c) return std::nullopt;
    if (*c == "t") return 1;
    if (*c == "f") return 0;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
    if (ec != std::errc()) throw DbError("column '" + rs_->columns_[col] + "' holds '" + *c + "', not an integer");
    return v;
}

std::int64_t ResultSet::Row::i64(std::size_t col) const { return optI64(col).value_or(0); }

double ResultSet::Row::f64(std::size_t col) const {
    const auto& c = cell(col);
    return c ? std::stod(*c) : 0.0;
}

std::string ResultSet::take(std::size_t row, std::size_t col) {
    if (col >= columns_.size() || row >= size())
        throw DbError("cell " + std::to_string(row) + "," + std::to_string(col) + " out of range");
    auto& c = cells_[row * columns_.size() + col];
    return c ? std::move(*c) : std::string();
}

ResultSet::Row ResultSet::front() const {
    if (empty()) throw DbError("query returned no rows");
    return Row(*this, 0);
}

std::size_t ResultSet::column(std::string_view name) const {
    for (std::size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i] == name) return i;
    throw DbError("result has no column '" + std::string(name) + "'");
}

}  // namespace rosterd::db
