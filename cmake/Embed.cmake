# Embeds a file into a C++ source as a std::string_view named SYMBOL (run with cmake -P).
# Inputs: IN (file), OUT (generated .cpp), SYMBOL (C++ identifier, may contain ::-free name), NS.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR n "${hexlen} / 2")
string(REPEAT "." 64 line_pattern)
string(REGEX REPLACE "(${line_pattern})" "\\1\n" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
file(WRITE "${OUT}.tmp"
"// Generated from ${IN} by cmake/Embed.cmake; do not edit.\n#include <string_view>\nnamespace ${NS} {\nstatic const unsigned char ${SYMBOL}_data[${n} + 1] = {\n${hex}0x00};\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}{reinterpret_cast<const char*>(${SYMBOL}_data), ${n}};\n}\n")
file(RENAME "${OUT}.tmp" "${OUT}")
