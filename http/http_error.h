#pragma once
// A request refused before it reaches a handler: the status to answer and why.
#include <stdexcept>
#include <string>

namespace rosterd::http {

class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& detail) : std::runtime_error(detail), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

}  // namespace rosterd::http
