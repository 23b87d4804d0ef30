// On-change recording: a row only when a watched tag changed (beyond its deadband); first row
// always.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "logger/sample.hpp"
#include "s7/error.hpp"

namespace logger {

// Watched tags are the on_change names plus every tag with a deadband. With none, every sample
// passes. A change is: a value differing from the value in the last passed row (numbers: by at
// least the deadband; other types: any difference), or a value appearing/disappearing (errors).
// Comparing with the last *written* row means slow drift is recorded once it adds up.
class ChangeFilter {
 public:
  static s7::Result<ChangeFilter> create(const std::vector<TagInfo>& tags,
                                         const std::vector<std::string>& on_change,
                                         const std::map<std::string, double>& deadbands);
  ChangeFilter() = default;
  bool active() const { return !watched_.empty(); }
  // True when the sample should become a row (and remembers it as the last row).
  bool pass(const Sample& s);

 private:
  struct Watch {
    std::size_t index;
    double deadband;
  };
  std::vector<Watch> watched_;
  std::optional<Sample> last_;
};

}  // namespace logger
