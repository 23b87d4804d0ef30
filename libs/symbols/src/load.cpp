// Reading the files behind `symbols = [...]` (see load.hpp).
#include "symbols/load.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "util/text.hpp"
#include "util/text_file.hpp"
#include "util/u8path.hpp"

namespace symbols {

namespace {

s7::Error fail(std::string why) {
  return s7::Error(s7::Errc::invalid_argument, std::move(why));
}

// A DB name as the user wrote it: "Plant Data" with or without its quotes.
std::string dequote(const std::string& name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
    return name.substr(1, name.size() - 2);
  return name;
}

}  // namespace

std::vector<std::pair<std::string, std::optional<std::uint16_t>>> SymbolTable::data_blocks() const {
  std::vector<std::pair<std::string, std::optional<std::uint16_t>>> out;
  for (const auto& b : blocks_)
    if (b.kind == Block::Kind::data_block) out.emplace_back(b.name, b.number);
  return out;
}

FileReader disk_reader(const std::string& folder) {
  return [folder](const std::string& name) -> s7::Result<std::string> {
    auto path = util::u8path(name);
    if (!folder.empty() && !path.is_absolute()) path = util::u8path(folder) / path;
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) return fail("no such file");
    if (std::filesystem::is_directory(status)) return fail("it is a folder, not a file");
    if (!std::filesystem::is_regular_file(status)) return fail("it is not a regular file");
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxSourceBytes)
      return fail("it has " + std::to_string(size) + " bytes; a source may have at most " +
                  std::to_string(kMaxSourceBytes >> 20) + " MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot open it (permissions?)");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return fail("read error");
    return bytes;
  };
}

std::string folder_of(const std::string& path) {
  return util::path_text(util::u8path(path).parent_path());
}

s7::Result<SymbolTable> load_symbols(const SymbolOptions& options, const FileReader& read,
                                     LoadFailure* failure) {
  auto failed = [&](LoadFailure f, s7::Error e) {
    if (failure) *failure = std::move(f);
    return e;
  };
  SymbolTable table(options.cpu);
  for (std::size_t i = 0; i < options.files.size(); ++i) {
    const std::string& name = options.files[i];
    const LoadFailure here{LoadFailure::Key::symbols, i, {}};
    auto bytes = read(name);
    if (!bytes)
      return failed(
          here, fail("cannot read " + util::escape_control(name) + ": " + bytes.error().what()));
    std::string text;
    if (detect_tag_table(*bytes, name)) {
      text = std::move(*bytes);
    } else {
      auto decoded = util::decode_text_file(*bytes);
      if (!decoded) return failed(here, fail(util::escape_control(name) + ": broken UTF-16 text"));
      text = std::move(*decoded);
    }
    if (auto r = table.add_file(text, name); !r) return failed(here, r.error());
  }
  // A db_numbers name that no source declares is a typo: say so before anything else.
  const auto dbs = table.data_blocks();
  for (const auto& [block, number] : options.db_numbers) {
    bool found = false;
    std::string known;
    for (const auto& [name, own] : dbs) {
      found = found || util::ascii_lower(name) == util::ascii_lower(dequote(block));
      known += (known.empty() ? "" : ", ") + ("\"" + name + "\"");
    }
    if (!found)
      return failed({LoadFailure::Key::db_numbers, std::nullopt, block},
                    fail("no DB named \"" + util::escape_control(block) + "\" in the sources (" +
                         (known.empty() ? "they declare no DB" : known) + ")"));
    table.set_db_number(dequote(block), number);
  }
  if (options.db_number) {
    std::vector<std::string> open;
    for (const auto& [name, own] : dbs) {
      bool named = own.has_value();
      for (const auto& [block, number] : options.db_numbers)
        named = named || util::ascii_lower(dequote(block)) == util::ascii_lower(name);
      if (!named) open.push_back(name);
    }
    if (open.size() != 1) {
      std::string list;
      for (const auto& n : open) list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
      return failed({LoadFailure::Key::db_numbers, std::nullopt, {}},
                    fail("--db-number " + std::to_string(*options.db_number) +
                         (open.empty() ? ": every DB of the sources has its number already"
                                       : ": the sources have " + std::to_string(open.size()) +
                                             " DBs without a number (" + list +
                                             "); name each: --db-number NAME=N")));
    }
    table.set_db_number(open[0], *options.db_number);
  }
  if (auto r = table.finish(); !r) return failed({}, r.error());
  return table;
}

s7::Result<SymbolTable> load_symbols(const SymbolOptions& options, const std::string& base_dir) {
  return load_symbols(options, disk_reader(base_dir));
}

}  // namespace symbols
