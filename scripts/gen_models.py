#!/usr/bin/env python3
"""Regenerates api/model/data/*.json from the botocore service models.

Keeps only what the emulator reads (operations' input/output/errors and the
shapes with their types, members, required lists, enums, ranges, patterns and
wire names) and drops documentation, so the build needs no Python and the
binary embeds a small model. Run after upgrading botocore; commit the output.
"""
import gzip
import json
import os
import sys

import botocore

SERVICES = {"sqs": "2012-11-05", "kinesis": "2013-12-02"}
SHAPE_KEYS = ("type", "members", "required", "enum", "min", "max", "pattern", "member", "key",
              "value", "flattened", "exception", "error", "box", "eventstream", "event",
              "timestampFormat", "locationName", "xmlName", "queryName", "streaming")
MEMBER_KEYS = ("shape", "locationName", "xmlName", "queryName", "flattened", "eventpayload",
               "eventheader", "idempotencyToken", "location")


def strip_member(member):
    return {k: member[k] for k in MEMBER_KEYS if k in member}


def strip_shape(shape):
    out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
    if "members" in out:
        out["members"] = {n: strip_member(m) for n, m in out["members"].items()}
    for k in ("member", "key", "value"):
        if k in out:
            out[k] = strip_member(out[k])
    return out


def strip_operation(op):
    return {k: op[k] for k in ("name", "input", "output", "errors", "http") if k in op}


def main():
    root = os.path.dirname(botocore.__file__)
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api", "model", "data")
    for service, version in SERVICES.items():
        with gzip.open(os.path.join(root, "data", service, version, "service-2.json.gz")) as f:
            model = json.load(f)
        stripped = {
            "metadata": model["metadata"],
            "operations": {n: strip_operation(o) for n, o in model["operations"].items()},
            "shapes": {n: strip_shape(s) for n, s in model["shapes"].items()},
        }
        path = os.path.join(out_dir, f"{service}-{version}.json")
        with open(path, "w") as f:
            json.dump(stripped, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {os.path.relpath(path)} from botocore {botocore.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
