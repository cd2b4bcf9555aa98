#pragma once
// Driver-neutral query results: every cell is text or NULL, as both drivers can produce it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rosterd::db {

/// A bound parameter. Booleans are bound as 0/1 integers (both schemas store them so).
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

/// Builds a Value from common C++ types (bool -> 0/1, optional -> NULL when empty).
inline Value val(std::nullptr_t) { return nullptr; }
inline Value val(bool b) { return std::int64_t(b ? 1 : 0); }
inline Value val(int v) { return std::int64_t(v); }
inline Value val(long v) { return std::int64_t(v); }
inline Value val(long long v) { return std::int64_t(v); }
inline Value val(unsigned v) { return std::int64_t(v); }
inline Value val(unsigned long v) { return std::int64_t(v); }
inline Value val(double v) { return v; }
inline Value val(const char* s) { return std::string(s); }
inline Value val(std::string s) { return s; }
inline Value val(std::string_view s) { return std::string(s); }
template <typename T>
Value val(const std::optional<T>& o) {
    return o ? val(*o) : Value(nullptr);
}

/// The rows a statement returned, plus how many rows it changed.
class ResultSet {
public:
    class Row {
    public:
        Row(const ResultSet& rs, std::size_t index) : rs_(&rs), index_(index) {}
        bool isNull(std::size_t col) const { return !cell(col).has_value(); }
        bool isNull(std::string_view name) const { return isNull(rs_->column(name)); }
        /// Text of a column; empty for NULL.
        const std::string& str(std::size_t col) const;
        const std::string& str(std::string_view name) const { return str(rs_->column(name)); }
        std::optional<std::string> optStr(std::size_t col) const { return cell(col); }
        std::optional<std::string> optStr(std::string_view name) const { return cell(rs_->column(name)); }
        /// Integer value; 0 for NULL. Accepts PostgreSQL's "t"/"f" for booleans.
        std::int64_t i64(std::size_t col) const;
        std::int64_t i64(std::string_view name) const { return i64(rs_->column(name)); }
        std::optional<std::int64_t> optI64(std::size_t col) const;
        std::optional<std::int64_t> optI64(std::string_view name) const { return optI64(rs_->column(name)); }
        double f64(std::size_t col) const;
        bool boolean(std::size_t col) const { return i64(col) != 0; }
        bool boolean(std::string_view name) const { return boolean(rs_->column(name)); }

    private:
        const std::optional<std::string>& cell(std::size_t col) const;
        const ResultSet* rs_;
        std::size_t index_;
    };

    ResultSet() = default;
    ResultSet(std::vector<std::string> columns, std::vector<std::optional<std::string>> cells, std::size_t affected)
        : columns_(std::move(columns)), cells_(std::move(cells)), affected_(affected) {}

    std::size_t size() const { return columns_.empty() ? 0 : cells_.size() / columns_.size(); }
    bool empty() const { return size() == 0; }
    Row operator[](std::size_t i) const { return Row(*this, i); }
    Row front() const;
    /// Rows changed by INSERT/UPDATE/DELETE.
    std::size_t affected() const { return affected_; }
    const std::vector<std::string>& columns() const { return columns_; }
    /// Index of a column by name; throws DbError when absent.
    std::size_t column(std::string_view name) const;
    /// Moves the text of a cell out ("" for NULL), for a reader that needs each cell once and
    /// would otherwise copy every string of a large result.
    std::string take(std::size_t row, std::size_t col);

    class Iterator {
    public:
        Iterator(const ResultSet& rs, std::size_t i) : rs_(&rs), i_(i) {}
        Row operator*() const { return Row(*rs_, i_); }
        Iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator!=(const Iterator& o) const { return i_ != o.i_; }

    private:
        const ResultSet* rs_;
        std::size_t i_;
    };
    Iterator begin() const { return Iterator(*this, 0); }
    Iterator end() const { return Iterator(*this, size()); }

private:
    friend class Row;
    std::vector<std::string> columns_;
    std::vector<std::optional<std::string>> cells_;
    std::size_t affected_ = 0;
};

using Row = ResultSet::Row;

}  // namespace rosterd::db
