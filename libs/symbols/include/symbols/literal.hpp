// Initial values as TIA Portal and STEP 7 write them in DB sources (declaration `:= value` and
// BEGIN `name := value;`), converted to s7::Value for the member's address. Pure.
#pragma once

#include <string_view>

#include "s7/address.hpp"
#include "s7/error.hpp"
#include "s7/value.hpp"

namespace symbols {

// Reads `text` as a literal for the type of `a` (its count for arrays). Forms, case-insensitive:
//   integers   5  -5  +5  1_000  L#100  16#FF  8#17  2#0101_0101  B#16#07  W#16#00FF
//              DW#16#0000_00FF  LW#16#...  B#(1, 2) (the bytes of a WORD/DWORD)  C#123
//              (a counter value; BCD for WORD)  and typed literals INT#5, DINT#-5, WORD#16#FF ...
//              A 2#/8#/16# number for a signed type may be its bit pattern (INT#16#FFFF = -1).
//   reals      1.5  -2  1.230000e+000  1_000.5  REAL#1.5  LREAL#...
//   bools      TRUE  FALSE  1  0  BOOL#TRUE
//   text       'a'  'it$'s'  with $$ $' $" $L $N (CR LF) $P $R $T $hh (Latin-1 byte), "wide"
//              with $hhhh (UTF-16 unit), STRING#'x', WSTRING#'x', CHAR#'a', CHAR#65, WCHAR#'a'
//   times      T#1s  T#1D_2H_3M_4S_5MS  T#-5s  TIME#..  LT#..  LTIME#..  S5T#2S  S5TIME#..
//   calendar   D#1990-1-1  DATE#..  TOD#0:0:0.0  TIME_OF_DAY#..  LTOD#..  DT#90-1-1-0:0:0.000
//              (two-digit years: 90..99 = 1990s, 00..89 = 2000s)  DATE_AND_TIME#..
//              DTL#2026-12-07-12:00:00.5  LDT#..
//   arrays     [1, 2, 3]  [3(0), 1]  3(0)  1, 2, 3  nested [..] flattened; fewer values than
//              elements leave the rest at the type's default (0, FALSE, '', D#1990-1-1 ...).
// Errors name the text and the type: Errc::value_syntax for what is not a literal of the type,
// Errc::value_out_of_range for a literal that does not fit it (too long a string, 70000 for
// INT, too many array values).
s7::Result<s7::Value> parse_literal(const s7::Address& a, std::string_view text);

}  // namespace symbols
