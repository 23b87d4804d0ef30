// Sans-IO S7comm PDUs: header, setup communication, Read Var, Write Var, SZL userdata, errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"
#include "s7/frame.hpp"

namespace s7 {

// S7 header (fact sheet 2): protocol id 0x32, ROSCTR, reserved (2), PDU reference (2),
// parameter length (2), data length (2); Ack and Ack_Data add error class and error code.
inline constexpr std::uint8_t kProtocolId = 0x32;
inline constexpr std::size_t kJobHeaderSize = 10;  // Job and Userdata
inline constexpr std::size_t kAckHeaderSize = 12;  // Ack and Ack_Data

enum class Rosctr : std::uint8_t { job = 0x01, ack = 0x02, ack_data = 0x03, userdata = 0x07 };

// Job function codes.
enum class Function : std::uint8_t {
  cpu_services = 0x00,
  read_var = 0x04,
  write_var = 0x05,
  request_download = 0x1A,
  download_block = 0x1B,
  download_ended = 0x1C,
  start_upload = 0x1D,
  upload = 0x1E,
  end_upload = 0x1F,
  plc_control = 0x28,
  plc_stop = 0x29,
  setup_communication = 0xF0,
};

// Item transport sizes (element type in an S7ANY item spec).
enum class ItemTransport : std::uint8_t {
  bit = 0x01,
  byte = 0x02,
  chr = 0x03,
  word = 0x04,
  integer = 0x05,
  dword = 0x06,
  dint = 0x07,
  real = 0x08,
  date = 0x09,
  tod = 0x0A,
  time = 0x0B,
  s5time = 0x0C,
  date_and_time = 0x0F,
  counter = 0x1C,
  timer = 0x1D,
};

// Data transport sizes (units of the length field in data items).
enum class DataTransport : std::uint8_t {
  null = 0x00,
  bit = 0x03,
  byte_word_dword = 0x04,
  integer = 0x05,
  dinteger = 0x06,
  real = 0x07,
  octet_string = 0x09,
};

// S7ANY item spec of Read/Write Var (fact sheet 4.1): 12 0A 10 TS COUNT(2) DB(2) AREA ADDR(3).
inline constexpr std::size_t kItemSpecSize = 12;
inline constexpr std::uint8_t kVarSpec = 0x12;        // variable specification
inline constexpr std::uint8_t kVarSpecLength = 0x0A;  // bytes that follow
inline constexpr std::uint8_t kSyntaxIdS7Any = 0x10;  // S7ANY addressing

// Item return codes (kItemSuccess, kItemNotFound, ...): s7/error.hpp.

// Ack/Ack_Data header error classes and codes this library sends or explains (fact sheet 2 and 5;
// class names as in Wireshark's s7comm dissector).
inline constexpr std::uint8_t kErrorClassApplication = 0x81;  // application relationship
inline constexpr std::uint8_t kErrorCodeNotAvailable = 0x04;  // with 0x81: function not available
inline constexpr std::uint8_t kErrorClassSupplies = 0x85;     // 0x8500: does not fit the PDU
inline constexpr std::uint8_t kErrorClassAccess = 0x87;       // access error
inline constexpr std::uint16_t kHeaderErrorNotAvailable = 0x8104;  // class << 8 | code

// Userdata parameter (fact sheet 6.1): head 00 01 12, length of the rest, method, type|group,
// subfunction, sequence; responses add data unit reference, last-unit flag and error (2).
inline constexpr std::uint8_t kUdHead[3] = {0x00, 0x01, 0x12};
inline constexpr std::size_t kUdRequestParamSize = 8;
inline constexpr std::size_t kUdResponseParamSize = 12;
inline constexpr std::uint8_t kUdMethodRequest = 0x11;
inline constexpr std::uint8_t kUdMethodResponse = 0x12;
inline constexpr std::uint8_t kUdTypeMask = 0xC0;      // type: the 2 high bits of type|group
inline constexpr std::uint8_t kUdTypeRequest = 0x40;   // type 1
inline constexpr std::uint8_t kUdTypeResponse = 0x80;  // type 2
inline constexpr std::uint8_t kUdGroupMask = 0x3F;     // function group: the 6 low bits
inline constexpr std::uint8_t kUdGroupCpu = 0x04;      // CPU functions
inline constexpr std::uint8_t kUdSubReadSzl = 0x01;    // CPU functions: read SZL

// SZL (system status list) ids and record indices (fact sheet 6.2), and the parameter error of
// an SZL answer for a list the CPU does not provide.
inline constexpr std::uint16_t kSzlIdList = 0x0000;         // the ids the CPU provides
inline constexpr std::uint16_t kSzlModuleId = 0x0011;       // order code and versions
inline constexpr std::uint16_t kSzlComponentId = 0x001C;    // names, serial number, type
inline constexpr std::uint16_t kSzlCommunication = 0x0131;  // index 1: max PDU, connections
inline constexpr std::uint16_t kSzlCpuState = 0x0424;       // operating state (CpuState)
inline constexpr std::uint16_t kSzlIndexModule = 0x0001;    // 0x0011 record: the module
inline constexpr std::uint16_t kSzlIndexFirmware = 0x0007;  // 0x0011 record: 'V' x.y.z
inline constexpr std::uint16_t kSzlErrorNotAvailable = 0xD402;

// CPU operating state: the bzu-id byte of the SZL 0x0424 record.
enum class CpuState : std::uint8_t { unknown = 0x00, stop = 0x04, run = 0x08 };

// PI service that hot and cold start name in PLC control (fact sheet 6.3).
inline constexpr std::string_view kPiServiceProgram = "P_PROGRAM";

// S7 header. Job/Userdata: 10 bytes; Ack/Ack_Data: 12 bytes (with error class/code).
struct Header {
  Rosctr rosctr = Rosctr::job;
  std::uint16_t ref = 0;  // PDU reference: chosen by the requester, echoed verbatim
  std::uint16_t param_length = 0;
  std::uint16_t data_length = 0;
  std::uint8_t error_class = 0;  // Ack/Ack_Data only
  std::uint8_t error_code = 0;
  friend bool operator==(const Header&, const Header&) = default;
};

// S7ANY item spec (12 bytes: 12 0A 10 TS COUNT DB AREA ADDR).
struct ItemSpec {
  std::uint8_t syntax_id = kSyntaxIdS7Any;
  // ItemTransport value (kept raw: servers must answer unknowns)
  std::uint8_t transport = static_cast<std::uint8_t>(ItemTransport::byte);
  std::uint16_t count = 0;
  std::uint16_t db = 0;
  std::uint8_t area = static_cast<std::uint8_t>(Area::db);
  std::uint32_t address = 0;  // bit address (byte*8+bit), or T/C number (24 bits)
  friend bool operator==(const ItemSpec&, const ItemSpec&) = default;
};

// Data item of a read response or write request. `length_field` is the raw length from the
// wire (its unit depends on `transport`); `data` the bytes that followed.
struct DataItem {
  std::uint8_t return_code = kItemSuccess;  // kItemReserved in write requests
  std::uint8_t transport = static_cast<std::uint8_t>(DataTransport::byte_word_dword);
  std::uint16_t length_field = 0;
  Bytes data;
  friend bool operator==(const DataItem&, const DataItem&) = default;
};

struct SetupCommunication {
  std::uint16_t amq_calling = 1;
  std::uint16_t amq_called = 1;
  std::uint16_t pdu_length = 960;
  friend bool operator==(const SetupCommunication&, const SetupCommunication&) = default;
};

struct ReadRequest {
  std::vector<ItemSpec> items;
  friend bool operator==(const ReadRequest&, const ReadRequest&) = default;
};
struct ReadResponse {
  std::vector<DataItem> items;
  friend bool operator==(const ReadResponse&, const ReadResponse&) = default;
};
struct WriteRequest {
  std::vector<ItemSpec> items;
  std::vector<DataItem> data;  // one per item
  friend bool operator==(const WriteRequest&, const WriteRequest&) = default;
};
struct WriteResponse {
  std::vector<std::uint8_t> codes;  // one return code per item
  friend bool operator==(const WriteResponse&, const WriteResponse&) = default;
};

// Userdata, CPU functions group (4), read SZL (subfunction 1).
struct SzlRequest {
  std::uint16_t id = 0;
  std::uint16_t index = 0;
  std::uint8_t sequence = 0;  // 0 for a first request; follow-ups echo the response's
  bool follow_up = false;     // data `0A 00 00 00` instead of the id/index
  // Data header bytes, kept raw: Snap7 sends FF 09, python-snap7 3.x 0A 00 (fact sheet 6.1);
  // a follow-up carries 0A 00 (see make_szl_follow_up). Servers must not validate them.
  std::uint8_t return_code = kItemSuccess;
  std::uint8_t transport = static_cast<std::uint8_t>(DataTransport::octet_string);
  friend bool operator==(const SzlRequest&, const SzlRequest&) = default;
};
struct SzlResponse {
  std::uint8_t sequence = 0;
  std::uint8_t data_unit_ref = 0;  // 0: not fragmented
  bool last = true;
  std::uint16_t error = 0;  // parameter error code, e.g. 0xD402
  std::uint8_t return_code = kItemSuccess;
  // Data transport size: octet string; null in error answers.
  std::uint8_t transport = static_cast<std::uint8_t>(DataTransport::octet_string);
  // First fragment: id, index, record length, record count and records (`payload` starts at
  // LENTHDR); follow-up fragments: raw continuation bytes in `payload` with has_header false.
  bool has_header = true;
  std::uint16_t id = 0;
  std::uint16_t index = 0;
  Bytes payload;
  friend bool operator==(const SzlResponse&, const SzlResponse&) = default;
  // decode_pdu cannot tell a continuation fragment from a first one: it sets has_header
  // whenever the return code is 0xFF and at least 4 bytes follow. A client assembling
  // fragments uses szl_raw_payload() for every fragment after the first.
};

// Userdata request/response of a group/subfunction we do not model (kept raw).
struct UserdataRaw {
  std::uint8_t type_group = 0;  // type (2 high bits) + group (6 low bits)
  std::uint8_t subfunction = 0;
  std::uint8_t sequence = 0;
  Bytes param;  // whole parameter part
  Bytes data;   // whole data part
  friend bool operator==(const UserdataRaw&, const UserdataRaw&) = default;
};

// PLC control (0x28 hot/cold start) and stop (0x29): the raw parameter part is kept.
struct PlcControl {
  std::uint8_t function = static_cast<std::uint8_t>(Function::plc_control);
  Bytes param;  // whole parameter part, function byte included
  friend bool operator==(const PlcControl&, const PlcControl&) = default;
};

// Any Job/Ack with a function we do not model, or an Ack carrying only a header error.
struct OtherPdu {
  Bytes param;
  Bytes data;
  friend bool operator==(const OtherPdu&, const OtherPdu&) = default;
};

using PduBody =
    std::variant<SetupCommunication, ReadRequest, ReadResponse, WriteRequest, WriteResponse,
                 SzlRequest, SzlResponse, UserdataRaw, PlcControl, OtherPdu>;

struct Pdu {
  Header header;
  PduBody body;
  friend bool operator==(const Pdu&, const Pdu&) = default;
};

// Decodes one S7 PDU (the payload of a reassembled DT). Which body is produced:
//   Job F0 / Ack_Data F0 -> SetupCommunication;  Job 04 -> ReadRequest;  Ack_Data 04 ->
//   ReadResponse; Job 05 -> WriteRequest;  Ack_Data 05 -> WriteResponse;  Userdata 4/1 ->
//   SzlRequest/SzlResponse; other Userdata -> UserdataRaw;  Job 28/29 -> PlcControl;  anything else
//   -> OtherPdu.
// Ack_Data/Ack with a non-zero header error decode to OtherPdu with the error in the header.
// Read responses are walked with the Wireshark length rule (bits for 0x03, 0x04, 0x05; bytes
// otherwise). Write requests: the data item of spec i holds E = spec_byte_size(spec i) bytes when
// its length field equals E or 8*E, whatever its transport (python-snap7 sends REAL/DINT with bit
// lengths); otherwise the Wireshark rule decides, and a server answers 0x07 for that item.
// A fill byte follows odd-length items except the last; trailing padding is tolerated.
// Errors: Errc::malformed_pdu with a short reason.
Result<Pdu> decode_pdu(ByteView pdu);

// Encoders return the S7 PDU only (wrap with encode_data_frame for the wire).
Bytes encode_pdu(const Pdu& pdu);

// Convenience builders for the common messages (header lengths are filled in).
Pdu make_setup_request(std::uint16_t ref, SetupCommunication s);
Pdu make_setup_response(std::uint16_t ref, SetupCommunication s);
Pdu make_read_request(std::uint16_t ref, std::vector<ItemSpec> items);
Pdu make_read_response(std::uint16_t ref, std::vector<DataItem> items);
Pdu make_write_request(std::uint16_t ref, std::vector<ItemSpec> items, std::vector<DataItem> data);
Pdu make_write_response(std::uint16_t ref, std::vector<std::uint8_t> codes);
Pdu make_szl_request(std::uint16_t ref, std::uint16_t id, std::uint16_t index);
// Ack (ROSCTR 2) with a header error and no parameter/data, e.g. 0x81/0x04.
Pdu make_error_ack(std::uint16_t ref, std::uint8_t error_class, std::uint8_t error_code);
// SZL follow-up request (data `0A 00 00 00`) carrying the sequence of the previous response.
Pdu make_szl_follow_up(std::uint16_t ref, std::uint8_t sequence);
// SZL answer (12-byte parameter form; `records` = LENTHDR, N_DR and the records). Not fragmented.
Pdu make_szl_response(std::uint16_t ref, std::uint8_t sequence, std::uint16_t id,
                      std::uint16_t index, Bytes records);
// SZL error answer: parameter error (e.g. 0xD402) and data `0A 00 00 00` (Snap7's form).
Pdu make_szl_error_response(std::uint16_t ref, std::uint8_t sequence, std::uint16_t error);
// Job 0x28/0x29 (fact sheet 6.3): stop, hot start and cold start parameter parts.
Pdu make_plc_stop(std::uint16_t ref);
Pdu make_plc_hot_start(std::uint16_t ref);
Pdu make_plc_cold_start(std::uint16_t ref);
// Ack_Data answering a PLC control Job: 1-byte parameter = the function code (decodes as OtherPdu).
Pdu make_plc_control_response(std::uint16_t ref, std::uint8_t function);
// The bytes after the 4-byte SZL data header, whatever has_header says (continuation fragments).
Bytes szl_raw_payload(const SzlResponse& r);

// Item spec for an address: BOOL -> BIT x1 (one item per bit), BYTE/CHAR/STRING -> BYTE,
// WORD, INT, DWORD, DINT, REAL map to their item transport; other types -> BYTE x byte_size.
// T/C -> TIMER/COUNTER with the number as address. `count` elements (bytes for BYTE items).
// Appends the 12 bytes of one S7ANY item spec (variable specification 0x12, length 0x0A, syntax
// id, transport, count, DB, area, 24-bit bit address; fact sheet §4.1): what read and write
// requests carry per item.
void append_item_spec(Bytes& out, const ItemSpec& s);

ItemSpec item_spec_for(const Address& a);
// Byte-range item spec: BYTE x length at `byte_offset` of the address's area/db.
ItemSpec byte_range_spec(Area area, std::uint16_t db, std::uint32_t byte_offset,
                         std::uint16_t length);

// Bytes of one element of an item transport size (fact sheet 4.1): BIT, BYTE, CHAR 1; WORD, INT,
// DATE, S5TIME, COUNTER, TIMER 2; DWORD, DINT, REAL, TOD, TIME 4; DATE_AND_TIME 8; 0 unknown.
std::size_t item_element_size(std::uint8_t item_transport);
// Number of data bytes an item spec addresses (count x element size; BIT: 1; T/C: 2 each);
// 0 for an unknown transport size.
std::size_t spec_byte_size(const ItemSpec& s);

// Length field value and data transport size to use for `bytes` data bytes of `spec`:
// BIT -> 0x03 length 1; BYTE/WORD/DWORD/CHAR -> 0x04 bits; INT/DINT -> 0x05 bits;
// REAL -> 0x07 bytes; T/C -> 0x09 bytes; others -> 0x04 bits.
DataItem make_data_item(const ItemSpec& spec, Bytes data, std::uint8_t return_code = kItemSuccess);
// Data bytes a data item's length field means under the Wireshark rule (bits for 0x03/0x04/0x05,
// rounded up; bytes otherwise).
std::size_t data_item_bytes(std::uint8_t transport, std::uint16_t length_field);

// Budget helpers for a negotiated PDU length (see the fact sheet, section 4.6).
std::size_t read_request_size(std::size_t items);                            // 12 + 12n
std::size_t read_response_size(const std::vector<std::size_t>& item_bytes);  // 14 + sum(4+L+fill)
std::size_t write_request_size(
    const std::vector<std::size_t>& item_bytes);  // 12 + 12n + sum(4+L+fill)

}  // namespace s7
