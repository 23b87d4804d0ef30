// The request target of the live page's server, sans-IO: percent-decoding, the path and the
// query parameters of "/path?name=value&...". Faces the network: fuzzed by
// fuzz/web/http_target.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace web {

// Decodes "%XX" escapes (either case of hex digit); `plus_is_space` also turns '+' into ' ' (as
// in a query's form encoding). A '%' not followed by two hex digits is kept as it is.
std::string percent_decode(std::string_view text, bool plus_is_space);

// The target's path, decoded, without the query and fragment: "/a%62c?x=1" -> "/abc".
std::string target_path(std::string_view target);

// The decoded value of the first query parameter called `name` (compared after decoding):
// "?last=5" -> "5", "?last" and "?last=" -> "", absent -> nullopt. Parameters are separated by
// '&'; the fragment ('#' and after) is not part of the query.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

}  // namespace web
