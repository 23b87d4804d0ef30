// On-change row filter with per-tag deadbands.
#include "logger/change_filter.hpp"

#include <algorithm>
#include <cmath>

namespace logger {

s7::Result<ChangeFilter> ChangeFilter::create(const std::vector<TagInfo>& tags,
                                              const std::vector<std::string>& on_change,
                                              const std::map<std::string, double>& deadbands) {
  ChangeFilter f;
  auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < tags.size(); ++i)
      if (tags[i].name == name) return i;
    return std::nullopt;
  };
  auto add = [&](const std::string& name, const char* option) -> s7::Result<void> {
    auto i = index_of(name);
    if (!i) {
      std::string names;
      for (const auto& t : tags) names += (names.empty() ? "" : ", ") + t.name;
      return s7::Error(s7::Errc::invalid_argument,
                       std::string(option) + ": no tag named '" + name + "' (tags: " + names + ")");
    }
    auto db = deadbands.find(name);
    double band = db == deadbands.end() ? 0.0 : db->second;
    for (const auto& w : f.watched_)
      if (w.index == *i) return {};
    f.watched_.push_back(Watch{*i, band});
    return {};
  };
  for (const auto& n : on_change)
    if (auto r = add(n, "--on-change"); !r) return r.error();
  for (const auto& [n, band] : deadbands)
    if (auto r = add(n, "--deadband"); !r) return r.error();
  return f;
}

namespace {
bool differs(const std::optional<s7::Value>& a, const std::optional<s7::Value>& b, double band) {
  if (a.has_value() != b.has_value()) return true;
  if (!a) return false;
  if (a->elems.size() != b->elems.size()) return true;
  for (std::size_t i = 0; i < a->elems.size(); ++i) {
    const auto& x = a->elems[i];
    const auto& y = b->elems[i];
    bool numeric = !std::holds_alternative<std::string>(x) && !std::holds_alternative<bool>(x);
    if (numeric && band > 0) {
      double dx = s7::to_double(x), dy = s7::to_double(y);
      if (std::fabs(dx - dy) >= band) return true;  // a change of at least the deadband counts
    } else if (x != y) {
      return true;
    }
  }
  return false;
}
}  // namespace

bool ChangeFilter::pass(const Sample& s) {
  if (watched_.empty()) return true;
  bool changed = !last_.has_value();
  if (!changed) {
    for (const auto& w : watched_) {
      if (w.index >= s.values.size() || w.index >= last_->values.size()) continue;
      if (differs(s.values[w.index].value, last_->values[w.index].value, w.deadband)) {
        changed = true;
        break;
      }
    }
  }
  if (changed) last_ = s;
  return changed;
}

}  // namespace logger
