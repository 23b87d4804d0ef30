"""An independent Sparkplug B payload decoder for tests: Google's protobuf runtime with the
sparkplug_b_pb2 module that protoc generates from libs/sinks/mqtt/sparkplug_b.proto (the build
writes it to <build>/libs/sinks/mqtt/python/), and the spec's array encodings done here in Python,
apart from the C++ code.

Run with /usr/bin/python3 (Debian's python3-protobuf):
  sparkplug_decode.py [--pb2-dir DIR] decode [FILE]       payload from FILE or stdin -> JSON
  sparkplug_decode.py [--pb2-dir DIR] check WRITER OUTDIR
      runs `WRITER OUTDIR` (sink_mqtt_sparkplug_vectors), then decodes every OUTDIR/*.bin and
      compares it with OUTDIR/*.json, the values the C++ side encoded; exit status 1 on a mismatch.
The module directory comes from --pb2-dir or $SPARKPLUG_PB2_DIR (else sys.path).

JSON shape: {"timestamp", "seq" (when present), "metrics": [{"name", "alias", "timestamp" (when
present), "datatype" (the spec's name), "is_historical", "is_null", "value"}]}; arrays are lists.
"""
import argparse
import importlib
import json
import os
import struct
import subprocess
import sys

_pb2 = None

# Array element layouts (little-endian) by DataType name; Boolean/String arrays are special.
_ARRAY_FORMATS = {
    "Int8Array": "b", "Int16Array": "h", "Int32Array": "i", "Int64Array": "q",
    "UInt8Array": "B", "UInt16Array": "H", "UInt32Array": "I", "UInt64Array": "Q",
    "FloatArray": "f", "DoubleArray": "d", "DateTimeArray": "Q",
}
_SIGNED_BITS = {"Int8": 8, "Int16": 16, "Int32": 32, "Int64": 64}
_UNSIGNED_BITS = {"UInt8": 8, "UInt16": 16, "UInt32": 32, "UInt64": 64, "DateTime": 64}


class DecodeError(ValueError):
    """The payload is not what the Sparkplug B spec allows."""


def load_pb2(directory=None):
    """Imports sparkplug_b_pb2 from `directory` (or $SPARKPLUG_PB2_DIR, or sys.path)."""
    global _pb2
    directory = directory or os.environ.get("SPARKPLUG_PB2_DIR")
    if directory and directory not in sys.path:
        sys.path.insert(0, directory)
    _pb2 = importlib.import_module("sparkplug_b_pb2")
    return _pb2


def type_name(number):
    pb2 = _pb2 or load_pb2()
    try:
        return pb2.DataType.Name(number)
    except ValueError:
        return "Unknown"


def _signed(raw, bits, field_bits):
    """A signed value from an unsigned protobuf field: the plain two's complement of `bits` bits,
    or its sign extension to the whole field."""
    if bits >= field_bits:
        return raw - (1 << field_bits) if raw >= 1 << (field_bits - 1) else raw
    if raw < 1 << bits:
        return raw - (1 << bits) if raw >= 1 << (bits - 1) else raw
    wide = raw - (1 << field_bits) if raw >= 1 << (field_bits - 1) else raw
    if -(1 << (bits - 1)) <= wide < 0:
        return wide
    raise DecodeError(f"{raw} is out of range for a {bits}-bit signed value")


def unpack_array(name, data):
    """The elements of an array metric's bytes_value."""
    if name == "BooleanArray":
        if len(data) < 4:
            raise DecodeError("BooleanArray without its 4-byte count")
        (count,) = struct.unpack_from("<I", data, 0)
        if (count + 7) // 8 != len(data) - 4:
            raise DecodeError(f"BooleanArray of {count} values in {len(data) - 4} bytes")
        return [bool(data[4 + i // 8] & (0x80 >> (i % 8))) for i in range(count)]
    if name == "StringArray":
        if not data:
            return []
        if data[-1] != 0:
            raise DecodeError("StringArray does not end in a zero byte")
        return [part.decode("utf-8") for part in data[:-1].split(b"\0")]
    fmt = _ARRAY_FORMATS.get(name)
    if fmt is None:
        raise DecodeError(f"{name} is no array type")
    size = struct.calcsize(fmt)
    if len(data) % size:
        raise DecodeError(f"{name}: {len(data)} bytes is not a multiple of {size}")
    return list(struct.unpack(f"<{len(data) // size}{fmt}", data))


def _value(metric, name):
    which = metric.WhichOneof("value")
    if which is None:
        return None
    if name in _SIGNED_BITS or name in _UNSIGNED_BITS:
        if which not in ("int_value", "long_value"):
            raise DecodeError(f"{name} in {which}")
        raw = getattr(metric, which)
        field_bits = 32 if which == "int_value" else 64
        if name in _SIGNED_BITS:
            return _signed(raw, _SIGNED_BITS[name], field_bits)
        if raw >= 1 << _UNSIGNED_BITS[name]:
            raise DecodeError(f"{raw} is out of range for {name}")
        return raw
    expected = {"Float": "float_value", "Double": "double_value", "Boolean": "boolean_value",
                "String": "string_value", "Text": "string_value", "UUID": "string_value"}
    if name in expected:
        if which != expected[name]:
            raise DecodeError(f"{name} in {which}")
        return getattr(metric, which)
    if name.endswith("Array"):
        if which != "bytes_value":
            raise DecodeError(f"{name} in {which}")
        return unpack_array(name, metric.bytes_value)
    return None  # DataSet, Template, Bytes, File: not taken apart here


def decode(data, pb2=None):
    """A payload's bytes -> a dict for JSON (see the module's doc)."""
    pb2 = pb2 or _pb2 or load_pb2()
    payload = pb2.Payload()
    payload.ParseFromString(bytes(data))
    out = {}
    if payload.HasField("timestamp"):
        out["timestamp"] = payload.timestamp
    if payload.HasField("seq"):
        out["seq"] = payload.seq
    metrics = []
    for m in payload.metrics:
        entry = {}
        if m.HasField("name"):
            entry["name"] = m.name
        if m.HasField("alias"):
            entry["alias"] = m.alias
        if m.HasField("timestamp"):
            entry["timestamp"] = m.timestamp
        name = type_name(m.datatype)
        entry["datatype"] = name
        entry["is_historical"] = m.is_historical
        entry["is_null"] = m.is_null
        entry["value"] = None if m.is_null else _value(m, name)
        metrics.append(entry)
    out["metrics"] = metrics
    return out


def _same(a, b):
    """Equal JSON values, with bools apart from numbers and 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def check(writer, outdir):
    """Runs the C++ writer and compares each payload's decoding with its .json; returns the
    number of mismatches (and prints them)."""
    subprocess.run([writer, outdir], check=True, timeout=60)
    names = sorted(f[:-4] for f in os.listdir(outdir) if f.endswith(".bin"))
    if not names:
        print(f"no payloads in {outdir}")
        return 1
    bad = 0
    for name in names:
        with open(os.path.join(outdir, name + ".bin"), "rb") as f:
            got = decode(f.read())
        with open(os.path.join(outdir, name + ".json"), encoding="utf-8") as f:
            want = json.load(f)
        if _same(got, want):
            print(f"ok   {name} ({len(want['metrics'])} metrics)")
            continue
        bad += 1
        print(f"FAIL {name}")
        for i, (g, w) in enumerate(zip(got.get("metrics", []), want.get("metrics", []))):
            if not _same(g, w):
                print(f"  metric {i}: decoded {json.dumps(g)}\n            expected {json.dumps(w)}")
        rest = {k: v for k, v in got.items() if k != "metrics"}
        rest_want = {k: v for k, v in want.items() if k != "metrics"}
        if not _same(rest, rest_want) or len(got["metrics"]) != len(want["metrics"]):
            print(f"  payload: decoded {rest} with {len(got['metrics'])} metrics, expected "
                  f"{rest_want} with {len(want['metrics'])}")
    return bad


def main(argv=None):
    parser = argparse.ArgumentParser(description="Decode Sparkplug B payloads to JSON.")
    parser.add_argument("--pb2-dir", help="directory with sparkplug_b_pb2.py")
    sub = parser.add_subparsers(dest="command", required=True)
    dec = sub.add_parser("decode", help="one payload (file or stdin) to JSON")
    dec.add_argument("file", nargs="?", default="-")
    chk = sub.add_parser("check", help="cross-check the C++ encoder's payloads")
    chk.add_argument("writer")
    chk.add_argument("outdir")
    args = parser.parse_args(argv)
    load_pb2(args.pb2_dir)
    if args.command == "decode":
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as f:
                data = f.read()
        try:
            print(json.dumps(decode(data), indent=2, ensure_ascii=False))
        except Exception as e:  # our DecodeError or protobuf's
            print(f"sparkplug_decode: {e}", file=sys.stderr)
            return 1
        return 0
    bad = check(args.writer, args.outdir)
    print("all payloads decode as encoded" if bad == 0 else f"{bad} payload(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
