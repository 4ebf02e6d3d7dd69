#!/usr/bin/python3
# Interop helper of test/interop/manifest_avro_interop_test.ts: reads Avro container files with
# Debian's python3-avro (the Apache Avro reference implementation for Python; the zstandard codec
# comes from python3-zstandard) and prints one JSON document on stdout:
#   [{"path", "codec", "schemaText", "schema", "records"}, ...]  one item per argument, in order.
# Values are made JSON-exact so the TypeScript side can compare them field by field:
#   bytes -> {"$bytes": "<hex>"}; ints beyond +-(2^53 - 1) -> {"$long": "<decimal>"};
#   timestamp-millis longs (python-avro returns datetimes) -> epoch milliseconds, an int as above;
#   records stay objects in writer-schema field order. Anything else python-avro yields that has
#   no JSON form is an error (exit status 2), never guessed.
# Usage: /usr/bin/python3 avro_dump.py FILE...
import datetime
import json
import sys

import avro.datafile
import avro.io

SAFE_INT_MAX = 2**53 - 1
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def exact_int(value):
    return value if -SAFE_INT_MAX <= value <= SAFE_INT_MAX else {"$long": str(value)}


def to_json(value, where):
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return exact_int(value)
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise TypeError(f"{where}: naive datetime {value!r}")
        delta = value - EPOCH
        millis = (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
        return exact_int(millis)
    if isinstance(value, dict):
        return {k: to_json(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"{where}: no JSON form for {type(value).__name__} {value!r}")


def dump(path):
    with open(path, "rb") as handle:
        reader = avro.datafile.DataFileReader(handle, avro.io.DatumReader())
        try:
            codec = reader.get_meta("avro.codec")
            schema_text = reader.schema
            records = [to_json(record, f"{path} record {i}") for i, record in enumerate(reader)]
        finally:
            reader.close()
    return {
        "path": path,
        "codec": codec.decode("utf-8") if codec is not None else "null",
        "schemaText": schema_text,
        "schema": json.loads(schema_text),
        "records": records,
    }


def main(paths):
    try:
        out = [dump(p) for p in paths]
    except Exception as error:  # report the file and reason, then fail
        print(f"avro_dump: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
