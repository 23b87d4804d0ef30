// s7log CSV reader (both dialects) and the self-contained HTML report of `s7log plot`.
#include "web/report.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/u8path.hpp"
#include "web/assets.hpp"

namespace web {

namespace fs = std::filesystem;

namespace {

// Matches a file name against a pattern with * (any run) and ? (one character).
bool wildcard_match(std::string_view pat, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pat.size() && (pat[p] == '?' || pat[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

// Splits CSV text into records (RFC 4180 quoting: "" inside quotes is one quote).
std::vector<std::vector<std::string>> split_csv(std::string_view text, char delim) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == delim) {
      row.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
      }
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || !cell.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class CellKind { empty, boolean, number, text };

struct Cell {
  CellKind kind = CellKind::empty;
  double value = 0;
  std::string text;  // only for CellKind::text
};

Cell parse_cell(std::string_view raw, bool decimal_comma) {
  auto s = trim(raw);
  if (s.empty()) return {};
  if (s == "True" || s == "true" || s == "TRUE") return {CellKind::boolean, 1, {}};
  if (s == "False" || s == "false" || s == "FALSE") return {CellKind::boolean, 0, {}};
  std::string num(s);
  if (decimal_comma) std::replace(num.begin(), num.end(), ',', '.');
  if (!num.empty() && num.front() == '+') num.erase(0, 1);
  double d = 0;
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), d);
  if (ec == std::errc() && p == num.data() + num.size()) return {CellKind::number, d, {}};
  return {CellKind::text, 0, std::string(s)};
}

struct FileTable {
  std::vector<std::string> names;  // without ts
  std::vector<double> t;
  std::vector<std::vector<Cell>> cells;  // [row][column]
};

s7::Result<FileTable> read_one(const fs::path& path) {
  auto name = util::path_text(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    bool exists = fs::exists(path, ec);
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("{}: {}", name, exists ? "cannot be read" : "no such file"));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);  // UTF-8 BOM (excel-da)
  auto not_s7log = [&](const std::string& why) {
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("{}: not an s7log CSV: {}", name, why));
  };
  if (trim(body).empty()) return not_s7log("the file is empty");
  auto header_end = body.find_first_of("\r\n");
  auto header_line = body.substr(0, header_end);
  char delim = ',';
  if (header_line.substr(0, 3) == "ts;") {
    delim = ';';  // excel-da: semicolons and decimal commas
  } else if (header_line != "ts" && header_line.substr(0, 3) != "ts,") {
    return not_s7log(
        fmt::format("the header must start with 'ts', found '{}'", header_line.substr(0, 40)));
  }
  auto rows = split_csv(body, delim);
  FileTable ft;
  for (std::size_t c = 1; c < rows[0].size(); ++c) ft.names.emplace_back(trim(rows[0][c]));
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    auto t = parse_local_ts(trim(row[0]));
    if (!t) {
      return s7::Error(s7::Errc::invalid_argument,
                       fmt::format("{}: row {}: bad timestamp '{}' (expected "
                                   "YYYY-MM-DDTHH:MM:SS[.mmm])",
                                   name, r + 1, row[0].substr(0, 40)));
    }
    ft.t.push_back(*t);
    std::vector<Cell> cells(ft.names.size());
    for (std::size_t c = 0; c < ft.names.size() && c + 1 < row.size(); ++c) {
      cells[c] = parse_cell(row[c + 1], delim == ';');
    }
    ft.cells.push_back(std::move(cells));
  }
  return ft;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::optional<double> parse_local_ts(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS with optional .f{1,9}
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (s.size() < 19 || !digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(11, 2, h) || s[13] != ':' ||
      !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, se)) {
    return std::nullopt;
  }
  double frac = 0;
  if (s.size() > 19) {
    if (s[19] != '.' && s[19] != ',') return std::nullopt;
    double scale = 0.1;
    if (s.size() == 20) return std::nullopt;
    for (std::size_t i = 20; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      frac += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return std::nullopt;
  auto days = sys_days{ymd}.time_since_epoch().count();
  return static_cast<double>(days) * 86400.0 + h * 3600.0 + mi * 60.0 + se + frac;
}

s7::Result<std::vector<fs::path>> expand_inputs(const std::vector<std::string>& args) {
  std::vector<fs::path> out;
  for (const auto& arg : args) {
    fs::path p = util::u8path(arg);
    auto fname = util::path_text(p.filename());
    if (fname.find_first_of("*?") == std::string::npos) {
      out.push_back(p);
      continue;
    }
    fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    std::vector<fs::path> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file() && wildcard_match(fname, util::path_text(it->path().filename()))) {
        found.push_back(p.has_parent_path() ? it->path() : it->path().filename());
      }
    }
    if (found.empty()) {
      return s7::Error(s7::Errc::invalid_argument, fmt::format("{}: no file matches", arg));
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

s7::Result<CsvTable> read_s7log_csv(const std::vector<fs::path>& files) {
  CsvTable table;
  std::vector<FileTable> parsed;
  std::vector<std::string> union_names;
  std::map<std::string, std::size_t> index;
  for (const auto& f : files) {
    auto ft = read_one(f);
    if (!ft) return ft.error();
    for (const auto& n : ft->names) {
      if (!index.count(n)) {
        index[n] = union_names.size();
        union_names.push_back(n);
      }
    }
    table.files.push_back(util::path_text(f));
    parsed.push_back(std::move(*ft));
  }
  // Kind per column: any text cell -> text; only booleans -> boolean; else number.
  std::vector<bool> has_text(union_names.size()), has_bool(union_names.size()),
      has_num(union_names.size());
  struct Row {
    double t;
    std::vector<Cell> cells;  // union order
  };
  std::vector<Row> rows;
  for (const auto& ft : parsed) {
    for (std::size_t r = 0; r < ft.t.size(); ++r) {
      Row row{ft.t[r], std::vector<Cell>(union_names.size())};
      for (std::size_t c = 0; c < ft.names.size(); ++c) {
        auto u = index[ft.names[c]];
        row.cells[u] = ft.cells[r][c];
        has_text[u] = has_text[u] || row.cells[u].kind == CellKind::text;
        has_bool[u] = has_bool[u] || row.cells[u].kind == CellKind::boolean;
        has_num[u] = has_num[u] || row.cells[u].kind == CellKind::number;
      }
      rows.push_back(std::move(row));
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.t < b.t; });

  // The quality column is kept as text per row (bands in the chart), not charted as a line.
  std::optional<std::size_t> quality_col;
  if (auto it = index.find("quality"); it != index.end()) quality_col = it->second;
  table.has_quality = quality_col.has_value();
  if (quality_col) {
    for (const auto& row : rows) table.quality.push_back(row.cells[*quality_col].text);
  }
  for (std::size_t u = 0; u < union_names.size(); ++u) {
    if (quality_col && u == *quality_col) continue;
    CsvColumn col;
    col.name = union_names[u];
    col.kind = has_text[u] ? "text" : (has_bool[u] && !has_num[u]) ? "boolean" : "number";
    col.values.reserve(rows.size());
    for (const auto& row : rows) {
      const auto& c = row.cells[u];
      bool charted = c.kind == CellKind::number || c.kind == CellKind::boolean;
      col.values.push_back(charted && col.kind != "text" ? std::optional<double>(c.value)
                                                         : std::nullopt);
    }
    table.columns.push_back(std::move(col));
  }
  for (const auto& row : rows) table.t.push_back(row.t);
  return table;
}

std::string render_report(const CsvTable& table, std::string_view title) {
  nlohmann::json cols = nlohmann::json::array();
  nlohmann::json values = nlohmann::json::array();
  for (const auto& c : table.columns) {
    cols.push_back({{"name", c.name}, {"kind", c.kind}});
    auto v = nlohmann::json::array();
    for (const auto& x : c.values) v.push_back(x ? nlohmann::json(*x) : nlohmann::json(nullptr));
    values.push_back(std::move(v));
  }
  nlohmann::json data = {
      {"title", title},
      {"files", table.files},
      {"columns", cols},
      {"t", table.t},
      {"v", values},
      {"quality", table.has_quality ? nlohmann::json(table.quality) : nlohmann::json(nullptr)}};
  // '<' only occurs inside JSON strings, where \u003c is the same character: the data can then
  // never close its <script> element.
  std::string json;
  for (char c : data.dump()) {
    if (c == '<') {
      json += "\\u003c";
    } else {
      json += c;
    }
  }
  std::map<std::string_view, std::string_view> parts = {
      {"UPLOT_CSS", assets::uplot_css}, {"PAGE_CSS", assets::page_css},
      {"UPLOT_JS", assets::uplot_js},   {"CHART_JS", assets::chart_js},
      {"PLOT_JS", assets::plot_js},     {"DATA", json}};
  std::string escaped_title = html_escape(title);
  parts["TITLE"] = escaped_title;
  // Markers /*@NAME@*/ are replaced in one pass over the template, so inserted text is never
  // searched for markers again.
  std::string out;
  std::string_view tpl = assets::plot_html;
  std::size_t pos = 0;
  while (true) {
    auto open = tpl.find("/*@", pos);
    if (open == std::string_view::npos) break;
    auto close = tpl.find("@*/", open + 3);
    if (close == std::string_view::npos) break;
    out.append(tpl.substr(pos, open - pos));
    auto key = tpl.substr(open + 3, close - open - 3);
    if (auto it = parts.find(key); it != parts.end()) {
      out.append(it->second);
    } else {
      out.append(tpl.substr(open, close + 3 - open));
    }
    pos = close + 3;
  }
  out.append(tpl.substr(pos));
  return out;
}

}  // namespace web
