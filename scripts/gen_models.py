#!/usr/bin/env python3
"""Regenerates api/model/data/*.json from the botocore service models.

Keeps only what the emulator reads (operations' input/output/errors and the
shapes with their types, members, required lists, enums, ranges, patterns and
wire names) and drops documentation, so the build needs no Python and the
binary embeds a small model. Run after upgrading botocore; commit the output.
"""
import copy
import gzip
import json
import os
import sys

import botocore

SERVICES = {"sqs": "2012-11-05", "kinesis": "2013-12-02"}
# The SQS query protocol's wire names (locationName, flattened) are gone from
# current botocore, whose SQS model is JSON-only. Debian's python3-botocore
# 1.29 still ships the query-protocol model; read it when present (or from
# $SHOAL_SQS_QUERY_MODEL) and merge its wire names into the current model.
SQS_QUERY_MODEL = os.environ.get(
    "SHOAL_SQS_QUERY_MODEL", "/usr/lib/python3/dist-packages/botocore/data/sqs/2012-11-05/service-2.json")
# Members newer than the query-protocol model, named as the AWS API reference
# names them on the query wire (ReceiveMessage: MessageSystemAttributeName.N).
QUERY_LIST_MEMBER_NAMES = {"MessageSystemAttributeList": "MessageSystemAttributeName"}
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


def merge_query_wire_names(current, query_model):
    """The current stripped SQS model with the query model's wire names.

    Shape and member names are the same in both models. Each structure member
    ends up carrying its resolved wire name and flattened flag (botocore folds
    the target shape's locationName/flattened into the member reference), so
    the C++ codec reads only member references."""
    out = copy.deepcopy(current)
    out["metadata"] = dict(current["metadata"], protocol="query", protocols=["query"],
                           xmlNamespace=query_model["metadata"]["xmlNamespace"])
    old_shapes = query_model["shapes"]
    for name, shape in out["shapes"].items():
        old = old_shapes.get(name, {})
        for key in ("flattened", "locationName"):
            if key in old:
                shape[key] = old[key]
        for member, ref in shape.get("members", {}).items():
            old_ref = old.get("members", {}).get(member, {})
            for key in ("locationName", "flattened"):
                if key in old_ref:
                    ref[key] = old_ref[key]
        for key in ("member", "key", "value"):
            if key in shape and "locationName" in old.get(key, {}):
                shape[key]["locationName"] = old[key]["locationName"]
        if name in QUERY_LIST_MEMBER_NAMES:
            shape["member"]["locationName"] = QUERY_LIST_MEMBER_NAMES[name]
    for shape in out["shapes"].values():
        for ref in shape.get("members", {}).values():
            target = out["shapes"][ref["shape"]]
            if "locationName" not in ref and "locationName" in target:
                ref["locationName"] = target["locationName"]
            if target.get("flattened") and target["type"] in ("list", "map"):
                ref["flattened"] = True
    for name, op in out["operations"].items():
        old_output = query_model["operations"].get(name, {}).get("output", {})
        if "resultWrapper" in old_output:
            op["output"]["resultWrapper"] = old_output["resultWrapper"]
    return out


def write_model(model, path):
    with open(path, "w") as f:
        json.dump(model, f, indent=1, sort_keys=True)
        f.write("\n")


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
        write_model(stripped, path)
        print(f"wrote {os.path.relpath(path)} from botocore {botocore.__version__}", file=sys.stderr)
        if service == "sqs":
            write_sqs_query_model(stripped, out_dir, version)


def write_sqs_query_model(stripped, out_dir, version):
    if not os.path.exists(SQS_QUERY_MODEL):
        print(f"kept sqs-query-{version}.json: no query-protocol model at {SQS_QUERY_MODEL} "
              "(apt-get install python3-botocore)", file=sys.stderr)
        return
    with open(SQS_QUERY_MODEL) as f:
        query_model = json.load(f)
    if query_model["metadata"].get("protocol") != "query":
        sys.exit(f"{SQS_QUERY_MODEL} is not a query-protocol model")
    path = os.path.join(out_dir, f"sqs-query-{version}.json")
    write_model(merge_query_wire_names(stripped, query_model), path)
    print(f"wrote {os.path.relpath(path)} with wire names from {SQS_QUERY_MODEL}", file=sys.stderr)


if __name__ == "__main__":
    main()
