#pragma once

// Parses a JSON report against tests/replay/report_check.fbs (the report's contract) and gives
// typed access to it.

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "flatbuffers/idl.h"
#include "tests/replay/report_check_generated.h"

namespace cascade::replay::testing {

class ParsedReport {
 public:
  // Empty error() on success.
  explicit ParsedReport(const std::string& json) {
    flatbuffers::IDLOptions options;
    options.strict_json = true;
    options.skip_unexpected_fields_in_json = true;
    parser_ = std::make_unique<flatbuffers::Parser>(options);
    std::ifstream in(CASCADE_REPORT_SCHEMA);
    std::ostringstream schema;
    schema << in.rdbuf();
    if (!parser_->Parse(schema.str().c_str())) {
      error_ = "schema: " + parser_->error_;
      return;
    }
    if (!parser_->ParseJson(json.c_str())) {
      error_ = parser_->error_;
      return;
    }
    report_ = check::GetReport(parser_->builder_.GetBufferPointer());
  }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const check::Report* operator->() const { return report_; }

 private:
  std::unique_ptr<flatbuffers::Parser> parser_;
  const check::Report* report_ = nullptr;
  std::string error_;
};

}  // namespace cascade::replay::testing
