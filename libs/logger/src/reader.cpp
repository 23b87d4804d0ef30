// ClientReader: the logger's Reader over a real s7::Client.
#include "logger/reader.hpp"

namespace logger {

ClientReader::ClientReader(s7::ClientOptions options)
    : client_(std::make_unique<s7::Client>(std::move(options))) {}

ClientReader::~ClientReader() = default;

s7::Result<void> ClientReader::connect() {
  client_->disconnect();
  return client_->connect();
}

void ClientReader::disconnect() {
  client_->disconnect();
}

bool ClientReader::connected() const {
  return client_->connected();
}

std::vector<s7::ItemResult> ClientReader::read(std::span<const s7::ItemSpec> items) {
  return client_->read(items);
}

std::vector<s7::Result<void>> ClientReader::write(std::span<const s7::Address> addresses,
                                                  std::span<const s7::Value> values) {
  return client_->write_values(addresses, values);
}

std::string ClientReader::describe() const {
  return client_->options().describe();
}

}  // namespace logger
