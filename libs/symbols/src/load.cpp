// Reading the files behind `symbols = [...]` (see load.hpp).
#include "symbols/load.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/text.hpp"
#include "util/text_file.hpp"
#include "util/u8path.hpp"

namespace symbols {

namespace {

// The file's bytes; nullopt with `why` set when it cannot be read.
std::optional<std::string> read_bytes(const std::string& path, std::string& why) {
  std::error_code ec;
  const auto p = util::u8path(path);
  if (!std::filesystem::exists(p, ec)) {
    why = "no such file";
    return std::nullopt;
  }
  if (std::filesystem::is_directory(p, ec)) {
    why = "it is a folder, not a file";
    return std::nullopt;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    why = "cannot open it (permissions?)";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    why = "read error";
    return std::nullopt;
  }
  return std::move(ss).str();
}

}  // namespace

std::vector<std::pair<std::string, std::optional<std::uint16_t>>> SymbolTable::data_blocks() const {
  std::vector<std::pair<std::string, std::optional<std::uint16_t>>> out;
  for (const auto& b : blocks_)
    if (b.kind == Block::Kind::data_block) out.emplace_back(b.name, b.number);
  return out;
}

std::string folder_of(const std::string& path) {
  return util::path_text(util::u8path(path).parent_path());
}

s7::Result<SymbolTable> load_symbols(const SymbolOptions& options, const std::string& base_dir) {
  SymbolTable table(options.cpu);
  for (const auto& name : options.files) {
    std::string path = name;
    if (!base_dir.empty() && !util::u8path(name).is_absolute())
      path = util::path_text(util::u8path(base_dir) / util::u8path(name));
    std::string why;
    auto bytes = read_bytes(path, why);
    if (!bytes)
      return s7::Error(s7::Errc::invalid_argument,
                       util::escape_control(path) + ": cannot read: " + why);
    std::string text;
    if (detect_tag_table(*bytes, path)) {
      text = std::move(*bytes);
    } else {
      auto decoded = util::decode_text_file(*bytes);
      if (!decoded)
        return s7::Error(s7::Errc::invalid_argument,
                         util::escape_control(path) + ": broken UTF-16 text");
      text = std::move(*decoded);
    }
    if (auto r = table.add_file(text, path); !r) return r.error();
  }
  // A db_numbers name that no source declares is a typo: say so before anything else.
  for (const auto& [block, number] : options.db_numbers) {
    bool found = false;
    std::string known;
    for (const auto& [name, own] : table.data_blocks()) {
      found = found || util::ascii_lower(name) == util::ascii_lower(block);
      known += (known.empty() ? "" : ", ") + ("\"" + name + "\"");
    }
    if (!found)
      return s7::Error(s7::Errc::invalid_argument,
                       "db_numbers: no DB named \"" + util::escape_control(block) +
                           "\" in the sources (" + (known.empty() ? "they declare no DB" : known) +
                           ")");
  }
  for (const auto& [block, number] : options.db_numbers) table.set_db_number(block, number);
  if (options.db_number) {
    std::vector<std::string> open;
    for (const auto& [name, own] : table.data_blocks()) {
      if (own) continue;
      bool named = false;
      for (const auto& [block, number] : options.db_numbers)
        named = named || util::ascii_lower(block) == util::ascii_lower(name);
      if (!named) open.push_back(name);
    }
    if (open.size() != 1) {
      std::string list;
      for (const auto& n : open) list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
      return s7::Error(s7::Errc::invalid_argument,
                       open.empty() ? "--db-number " + std::to_string(*options.db_number) +
                                          ": every DB of the sources has its number already"
                                    : "--db-number " + std::to_string(*options.db_number) +
                                          ": the sources have " + std::to_string(open.size()) +
                                          " DBs without a number (" + list +
                                          "); name each: --db-number NAME=N");
    }
    table.set_db_number(open[0], *options.db_number);
  }
  if (auto r = table.finish(); !r) return r.error();
  return table;
}

}  // namespace symbols
