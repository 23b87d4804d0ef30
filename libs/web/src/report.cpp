// The self-contained HTML report of `s7log plot`: s7log CSV files merged into one chart.
#include "web/report.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "logger/csv_reader.hpp"
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

// One file's rows with every cell interpreted (logger::interpret_cell).
struct FileTable {
  std::vector<std::string> names;  // without ts
  std::vector<double> t;
  std::vector<std::vector<logger::CsvCell>> cells;  // [row][column]
};

// The local wall-clock time as seconds counted as if it were UTC (what the chart shows).
double chart_seconds(logger::LocalTime ts) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(ts);
  return static_cast<double>(secs.time_since_epoch().count()) +
         std::chrono::duration<double>(ts - secs).count();
}

s7::Result<FileTable> read_one(const fs::path& path) {
  auto file = logger::read_csv_file(path);
  if (!file) return file.error();
  FileTable ft;
  ft.names = std::move(file->columns);
  ft.t.reserve(file->rows.size());
  ft.cells.reserve(file->rows.size());
  for (const auto& row : file->rows) {
    ft.t.push_back(chart_seconds(row.ts));
    std::vector<logger::CsvCell> cells;
    cells.reserve(row.cells.size());
    for (const auto& c : row.cells) cells.push_back(logger::interpret_cell(c, file->dialect));
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
    std::vector<logger::CsvCell> cells;  // union order
  };
  std::vector<Row> rows;
  for (const auto& ft : parsed) {
    for (std::size_t r = 0; r < ft.t.size(); ++r) {
      Row row{ft.t[r], std::vector<logger::CsvCell>(union_names.size())};
      for (std::size_t c = 0; c < ft.names.size(); ++c) {
        auto u = index[ft.names[c]];
        row.cells[u] = ft.cells[r][c];
        has_text[u] = has_text[u] || row.cells[u].kind == logger::CsvCellKind::text;
        has_bool[u] = has_bool[u] || row.cells[u].kind == logger::CsvCellKind::boolean;
        has_num[u] = has_num[u] || row.cells[u].kind == logger::CsvCellKind::number;
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
      bool charted =
          c.kind == logger::CsvCellKind::number || c.kind == logger::CsvCellKind::boolean;
      col.values.push_back(charted && col.kind != "text" ? std::optional<double>(c.number)
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
