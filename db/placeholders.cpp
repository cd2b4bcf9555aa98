#include "db/placeholders.h"

namespace rosterd::db {

std::string placeholders(std::size_t first, std::size_t n) {
    std::string out;
    out.reserve(n * 7);
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ", ";
        out += '$';
        out += std::to_string(first + i);
    }
    return out;
}

std::string valueRows(std::size_t rows, std::size_t cols, std::size_t offset) {
    std::string out;
    out.reserve(rows * (cols * 7 + 4));
    for (std::size_t r = 0; r < rows; ++r) {
        out += r ? ", (" : "(";
        out += placeholders(offset + r * cols + 1, cols);
        out += ')';
    }
    return out;
}

}  // namespace rosterd::db
