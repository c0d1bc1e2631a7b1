#!/usr/bin/python3
"""Checks an OpenAPI 3.0 document against the OpenAPI Initiative's own
meta-schema (openapi-3.0-schema.json beside this file) with Debian's
python3-jsonschema, and first proves the check can fail: a copy of the
document without its "info" and with an operation without "responses"
must be refused.

usage: validate_openapi.py DOCUMENT.json
exit 0 when valid, 1 with one line per violation otherwise."""
import copy
import json
import pathlib
import sys

import jsonschema

here = pathlib.Path(__file__).resolve().parent
schema = json.loads((here / "openapi-3.0-schema.json").read_text())
validator = jsonschema.Draft4Validator(schema)


def violations(doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


doc = json.loads(pathlib.Path(sys.argv[1]).read_text())

broken = copy.deepcopy(doc)
broken.pop("info", None)
for ops in broken.get("paths", {}).values():
    for op in ops.values():
        op.pop("responses", None)
        break
    break
if not violations(broken):
    print("validate_openapi: the meta-schema accepted a broken document; the check proves nothing")
    sys.exit(2)

found = violations(doc)
for e in found:
    where = "/".join(str(p) for p in e.absolute_path) or "(document)"
    print(f"{where}: {e.message}")
if found:
    sys.exit(1)
print(f"valid OpenAPI {doc['openapi']}: {len(doc['paths'])} paths, "
      f"{sum(len(v) for v in doc['paths'].values())} operations")
