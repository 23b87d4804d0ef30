// The s7 error category: what each Errc means, in words a user can act on.
#include "s7/error.hpp"

namespace s7 {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "s7"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::ok:
        return "success";
      case Errc::address_syntax:
        return "invalid S7 address";
      case Errc::value_syntax:
        return "invalid value";
      case Errc::value_out_of_range:
        return "value out of range for its type";
      case Errc::type_mismatch:
        return "value does not match the address type";
      case Errc::invalid_argument:
        return "invalid argument";
      case Errc::host_not_found:
        return "host not found: check the host name or IP address";
      case Errc::connection_refused:
        return "connection refused: is the PLC reachable, and is the port right?";
      case Errc::connect_timeout:
        return "connect timed out: is the PLC switched on and reachable on this network?";
      case Errc::iso_refused:
        return "the PLC closed the connection after the ISO connect request: check rack and "
               "slot (or the TSAPs) and that the PLC accepts another connection";
      case Errc::negotiation_failed:
        return "setup communication failed: the PLC refused the S7 session";
      case Errc::request_timeout:
        return "the PLC did not answer in time";
      case Errc::connection_closed:
        return "the PLC closed the connection";
      case Errc::not_connected:
        return "not connected to the PLC";
      case Errc::network_error:
        return "network error";
      case Errc::malformed_frame:
        return "malformed TPKT/COTP frame";
      case Errc::malformed_pdu:
        return "malformed S7 PDU";
      case Errc::unexpected_response:
        return "the PLC's answer does not match the request";
      case Errc::pdu_too_large:
        return "request does not fit the negotiated PDU size";
      case Errc::header_error:
        return "the PLC refused the request";
      case Errc::item_hardware_fault:
        return "hardware fault (item error 0x01)";
      case Errc::item_access_denied:
        return "access denied: the address is write-protected (item error 0x03)";
      case Errc::item_out_of_range:
        return "address out of range: the area is smaller or the bit address is invalid "
               "(item error 0x05)";
      case Errc::item_type_unsupported:
        return "data type not supported (item error 0x06)";
      case Errc::item_size_mismatch:
        return "data size does not match the type (item error 0x07)";
      case Errc::item_not_found:
        return "object does not exist on the PLC (item error 0x0A)";
      case Errc::item_unknown:
        return "the PLC reported an unknown item error";
      case Errc::szl_not_available:
        return "the PLC does not provide this system status list";
      case Errc::cpu_function_not_available:
        return "function not available on the CPU (header error 0x8104): enable PUT/GET "
               "access and use non-optimized (standard) data blocks";
    }
    return "unknown s7 error";
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const Category c;
  return c;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), category()};
}

Errc errc_from_item_code(std::uint8_t code) noexcept {
  switch (code) {
    case kItemSuccess:
      return Errc::ok;
    case kItemHardwareFault:
      return Errc::item_hardware_fault;
    case kItemAccessDenied:
      return Errc::item_access_denied;
    case kItemOutOfRange:
      return Errc::item_out_of_range;
    case kItemTypeUnsupported:
      return Errc::item_type_unsupported;
    case kItemSizeMismatch:
      return Errc::item_size_mismatch;
    case kItemNotFound:
      return Errc::item_not_found;
    default:
      return Errc::item_unknown;
  }
}

std::uint8_t item_code_from_errc(Errc e) noexcept {
  switch (e) {
    case Errc::ok:
      return kItemSuccess;
    case Errc::item_hardware_fault:
      return kItemHardwareFault;
    case Errc::item_access_denied:
      return kItemAccessDenied;
    case Errc::item_out_of_range:
      return kItemOutOfRange;
    case Errc::item_type_unsupported:
      return kItemTypeUnsupported;
    case Errc::item_size_mismatch:
      return kItemSizeMismatch;
    case Errc::item_not_found:
      return kItemNotFound;
    default:
      return kItemOutOfRange;
  }
}

}  // namespace s7
