// s7log-outputs.so: the network outputs (PostgreSQL, MQTT) as a module that `s7log run` loads
// only when a config has [output.*] tables. Their client libraries (libpq, libmosquitto, and
// through them OpenSSL, GnuTLS, Kerberos, LDAP: 20 more shared libraries) would otherwise be
// mapped into every s7log process, nearly doubling the course logger's RSS (6.3 -> 11.8 MiB).
// This header is what the module and its loader (apps/s7log/commands/network_outputs.cpp) share.
#pragma once

#include <string>

#include "logger/delivery.hpp"
#include "logger/outputs.hpp"

namespace sinks {

// The entry points (C linkage) and the tag both sides compare, so that a module from another
// build (other version, other layouts) is refused instead of crashing. Raise kOutputsModuleApi
// whenever the entry points or what they are passed change.
inline constexpr const char* kOutputsModuleAbi = "s7log_outputs_abi";
inline constexpr const char* kOutputsModuleCheck = "s7log_outputs_check";
inline constexpr const char* kOutputsModuleCreate = "s7log_outputs_create";
inline constexpr int kOutputsModuleApi = 1;

// "s7log-outputs <version> api=<n> config=<size> sample=<size> ...": the same text in the program
// and in the module when both come from one build. `version` is the project's version.
std::string outputs_module_abi(const char* version);

using OutputsAbiFn = const char* (*)();
// Checks the [output.*] tables against what this module has (an output it was built without,
// a url libpq cannot parse, MQTT options that cannot work). False with `error` set otherwise.
using OutputsCheckFn = bool (*)(const logger::OutputsConfig* config, std::string* error);
// A new delivery for output `kind` ("postgres" or "mqtt") of `config`; nullptr with `error` set
// when this module has no such output. The caller owns (deletes) the object.
using OutputsCreateFn = logger::Delivery* (*)(const logger::OutputsConfig* config, const char* kind,
                                              std::string* error);

}  // namespace sinks
