// Errors as values: s7::Errc codes in their own std::error_category, s7::Error and s7::Result<T>.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace s7 {

// Every failure the library reports. Item errors mirror the S7 item return codes.
enum class Errc {
  ok = 0,
  // user input
  address_syntax = 1,  // an address could not be parsed
  value_syntax,        // a value text could not be parsed for its type
  value_out_of_range,  // a value does not fit its type
  type_mismatch,       // value kind does not match the address type
  invalid_argument,
  // connection
  host_not_found = 20,
  connection_refused,
  connect_timeout,
  iso_refused,  // TCP connected, but the PLC closed/refused the COTP CR (wrong rack/slot/TSAP)
  negotiation_failed,  // setup communication refused or malformed
  request_timeout,
  connection_closed,  // peer closed the TCP connection
  not_connected,
  network_error,  // other socket errors
  // protocol
  malformed_frame = 40,  // TPKT/COTP/S7 framing broken
  malformed_pdu,         // S7 PDU could not be decoded
  unexpected_response,   // response does not match the request (function, reference, item count)
  pdu_too_large,         // a request/response does not fit the negotiated PDU
  header_error,          // Ack/Ack_Data with a non-zero error class/code (see Error::s7_code)
  // item return codes (S7 item return codes in parentheses)
  item_hardware_fault = 60,  // 0x01
  item_access_denied,        // 0x03
  item_out_of_range,         // 0x05
  item_type_unsupported,     // 0x06
  item_size_mismatch,        // 0x07
  item_not_found,            // 0x0A
  item_unknown,              // any other code
  // functions
  szl_not_available = 80,
  cpu_function_not_available,  // header error 0x8104: PUT/GET disabled or service missing
};

}  // namespace s7

namespace std {
template <>
struct is_error_code_enum<s7::Errc> : true_type {};
}  // namespace std

namespace s7 {

// S7 item return codes (fact sheet 4.4; Wireshark's s7comm return-code table): one per item in
// a Read Var answer and a Write Var confirmation. The data items of a Write Var request carry
// the reserved code. Every other byte value is an item error this library does not name.
inline constexpr std::uint8_t kItemReserved = 0x00;
inline constexpr std::uint8_t kItemHardwareFault = 0x01;
inline constexpr std::uint8_t kItemAccessDenied = 0x03;     // object access not allowed
inline constexpr std::uint8_t kItemOutOfRange = 0x05;       // invalid address
inline constexpr std::uint8_t kItemTypeUnsupported = 0x06;  // data type not supported
inline constexpr std::uint8_t kItemSizeMismatch = 0x07;     // data type inconsistent (size)
inline constexpr std::uint8_t kItemNotFound = 0x0A;         // object does not exist
inline constexpr std::uint8_t kItemSuccess = 0xFF;

const std::error_category& category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

// Item return code (0xFF = success) to Errc; 0xFF maps to Errc::ok.
Errc errc_from_item_code(std::uint8_t code) noexcept;
// Errc to item return code for a server answer (item_* codes only; others give 0x05).
std::uint8_t item_code_from_errc(Errc e) noexcept;

// An error with the sentence a user can act on. `message` is the full text; when empty,
// code.message() is used. `s7_code` holds the raw item return code or the header
// error class<<8|code when the error came from the PLC.
struct Error {
  std::error_code code;
  std::string message;
  std::uint16_t s7_code = 0;

  Error() = default;
  Error(std::error_code c, std::string msg = {}, std::uint16_t raw = 0)
      : code(c), message(std::move(msg)), s7_code(raw) {}
  Error(Errc e, std::string msg = {}, std::uint16_t raw = 0)
      : code(make_error_code(e)), message(std::move(msg)), s7_code(raw) {}

  std::string what() const { return message.empty() ? code.message() : message; }
  bool is(Errc e) const { return code == make_error_code(e); }
};

// Result<T>: a T or an Error (g++ 12 has no std::expected).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error e) : v_(std::move(e)) {}
  Result(Errc e, std::string msg = {}) : v_(Error(e, std::move(msg))) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), ok_(false) {}
  Result(Errc e, std::string msg = {}) : err_(Error(e, std::move(msg))), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return err_; }

 private:
  Error err_;
  bool ok_ = true;
};

}  // namespace s7
