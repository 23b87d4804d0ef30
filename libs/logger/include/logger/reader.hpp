// What the logger reads through: connect, read items (one result per item). Adapter over
// s7::Client.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "s7/client.hpp"
#include "s7/error.hpp"
#include "s7/pdu.hpp"
#include "s7/value.hpp"

namespace logger {

// Contract: read() returns one result per item, in order. A connection failure (timeout, reset)
// fails every item with a non-item error and leaves connected() false; the logger then
// reconnects. Item errors (s7::Errc::item_*) leave the connection usable.
class Reader {
 public:
  virtual ~Reader() = default;
  virtual s7::Result<void> connect() = 0;
  virtual void disconnect() = 0;
  virtual bool connected() const = 0;
  virtual std::vector<s7::ItemResult> read(std::span<const s7::ItemSpec> items) = 0;
  // Typed writes, one result per address (BOOL with bit access: the trigger handshake). A
  // connection failure leaves connected() false, as for read().
  virtual std::vector<s7::Result<void>> write(std::span<const s7::Address> addresses,
                                              std::span<const s7::Value> values) = 0;
  // "127.0.0.1:1102 (rack 0, slot 1)" for messages.
  virtual std::string describe() const = 0;
};

// The real thing: an s7::Client (which closes a connection on which a request timed out, so no
// stale answer is ever taken for a later request).
class ClientReader : public Reader {
 public:
  explicit ClientReader(s7::ClientOptions options);
  ~ClientReader() override;
  s7::Result<void> connect() override;
  void disconnect() override;
  bool connected() const override;
  std::vector<s7::ItemResult> read(std::span<const s7::ItemSpec> items) override;
  std::vector<s7::Result<void>> write(std::span<const s7::Address> addresses,
                                      std::span<const s7::Value> values) override;
  std::string describe() const override;

 private:
  std::unique_ptr<s7::Client> client_;
};

}  // namespace logger
