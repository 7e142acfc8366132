#!/usr/bin/env bash
# Nightly-sized API fuzzing: schemathesis over the whole OpenAPI document, reads and writes.
#
#   bench/fuzz_api.sh                 # about 8,600 requests on a throw-away SQLite database
#   EXAMPLES=100 bench/fuzz_api.sh    # more per operation
#   KEEP=1 bench/fuzz_api.sh          # keep the server log and schemathesis reports
#   FUZZ_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/clearwater_fuzz bench/fuzz_api.sh
#
# It makes a database with the sample data, builds its index, creates two publishing tokens
# with `portal token create` (a provincial bureau for departments, enterprises, incidents and
# inspections; an enterprise for its disclosures and responses), serves the portal with
# gunicorn and gunicorn.conf.py on a free local port with the rate limits lifted, and runs
# schemathesis with every check (`--checks all`, with schemathesis.toml) twice: every
# operation with the bureau's token, then the writes of disclosures and responses with the
# enterprise's. It prints the requests tried, their statuses and the failures of each run, and
# exits non-zero if any check failed (a 5xx; a status, content type, header or body outside
# the document; a request the document calls valid refused or one it calls invalid accepted)
# or the server logged a traceback. CHECKS=name,name runs fewer. The PostgreSQL database named
# in FUZZ_DATABASE_URL is dropped and made again (and left for a look afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${EXAMPLES:-40}
SEED=${SEED:-2012}
VENV=${VENV:-.venv}
WORK=$(mktemp -d -t clearwater-fuzz-XXXXXX)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ -n "${KEEP:-}" ]]; then echo "Logs and reports kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [[ -n "${FUZZ_DATABASE_URL:-}" ]]; then
    export PORTAL_DATABASE_URL=$FUZZ_DATABASE_URL
    "$VENV/bin/python" - <<'PY'
import os

import psycopg
from sqlalchemy.engine import make_url

u = make_url(os.environ["PORTAL_DATABASE_URL"])
with psycopg.connect(
    host=u.host, port=u.port or 5432, user=u.username, password=u.password,
    dbname="postgres", autocommit=True,
) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{u.database}"')
PY
else
    export PORTAL_DATABASE_URL="sqlite:///$WORK/portal.db"
fi
export PORTAL_INDEX_DIR="$WORK/index" PORTAL_SNAPSHOT_DIR="$WORK/snapshots"

portal() { "$VENV/bin/portal" "$@"; }
portal init >/dev/null
portal load-sample >/dev/null
portal reindex --procs 1 >/dev/null 2>&1

# Publishers that already hold records of several kinds, so corrections and withdrawals reach
# their own records as well as others' (403) and unknown ones (404).
DEP=DEP-HA-EE
ENT=ENT-0011
DEP_TOKEN=$(portal token create $DEP --scope departments --scope enterprises \
    --scope incidents --scope inspections --label fuzz | sed -n 2p)
ENT_TOKEN=$(portal token create $ENT --label fuzz | sed -n 2p)

# Hooks: generated queries keep the rules the document states in words (tests/openapi_rules.py:
# `from` not after `to`, search depth, a search's status of its kind, cursors the portal made);
# generated writes are steered as in the suite (tests/fuzz_writers.py): part of them publish as
# the token's own publisher (else nearly every write stops at 403), part as valid records
# carrying generated text, and part of the record ids in paths become the publisher's own
# records; a case generated invalid is never steered into a valid one.
cat >"$WORK/fuzz_hooks.py" <<'PY'
import os
import zlib

import schemathesis
from fuzz_writers import steer  # tests/fuzz_writers.py
from openapi_rules import mend_query  # tests/openapi_rules.py
from sqlalchemy import create_engine, text

PUBLISHER = os.environ["FUZZ_PUBLISHER"]
OWNED = {}
_engine = create_engine(os.environ["PORTAL_DATABASE_URL"])
with _engine.connect() as conn:
    for table in ("department", "enterprise", "incident", "inspection", "disclosure", "response"):
        OWNED[table + "s"] = sorted(
            conn.execute(
                text(f"SELECT id FROM {table} WHERE publisher_id = :p"), {"p": PUBLISHER}
            ).scalars()
        )
_engine.dispose()


# map_case, as the only hook every phase applies (coverage, examples, fuzzing, stateful). The
# steering choices come from the case itself, so a run is the same run again with its seed.
@schemathesis.hook
def map_case(ctx, case):
    operation = ctx.operation
    case.query = mend_query(operation.path, case.query)
    if operation.method.upper() not in ("POST", "PATCH") or operation.path == "/api/v1/ask":
        return case
    owned = OWNED.get(operation.path.removeprefix("/api/v1/").split("/")[0], [])
    meta = getattr(case, "meta", None)
    positive = meta is None or not meta.generation.mode.is_negative
    choice = zlib.crc32(repr((case.path_parameters, case.body)).encode())
    return steer(case, PUBLISHER, owned, choice % 3, choice // 3, positive=positive)
PY

PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The portal as it is deployed (gunicorn.conf.py: two gthread workers, its request-line limit
# answered as problem+json), with the rate limits lifted so requests reach the logic, not a 429.
LIFTED='{"API_RATE_LIMIT": "1000000 per minute", "ASK_RATE_LIMIT": "1000000 per minute"}'
# Two workers need one signing key (gunicorn.conf.py refuses to start without it).
PORT=$PORT PORTAL_WSGI_APP="portal:create_app($LIFTED)" \
    PORTAL_SECRET_KEY="${PORTAL_SECRET_KEY:-fuzz-$RANDOM$RANDOM$RANDOM}" \
    "$VENV/bin/gunicorn" -c gunicorn.conf.py >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 150); do
    if curl -fs -o /dev/null "$BASE/api/v1/openapi.json"; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/server.log" >&2; exit 1; fi
    sleep 0.2
done

summarize() {  # report name
    "$VENV/bin/python" - "$1" "$2" <<'PY'
import collections
import json
import sys

path, name = sys.argv[1:3]
requests, statuses, failures = 0, collections.Counter(), collections.Counter()
for line in open(path):
    event = json.loads(line)
    finished = event.get("ScenarioFinished")
    if not finished:
        continue
    recorder = finished["recorder"]
    for interaction in recorder.get("interactions", {}).values():
        requests += 1
        response = interaction.get("response")
        statuses[response["status_code"] if response else "no response"] += 1
    for case_id, checks in recorder.get("checks", {}).items():
        for check in checks:
            if check["status"] == "failure":
                failures[(recorder["label"], check["name"])] += 1
print(f"{name}: {requests:,} requests tried, {sum(failures.values())} failed checks")
print("  statuses: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items(), key=str)))
server_errors = sum(v for k, v in statuses.items() if isinstance(k, int) and k >= 500)
print(f"  5xx responses: {server_errors}")
for (label, check), count in sorted(failures.items()):
    print(f"  FAILED {label}: {check} x{count}")
sys.exit(1 if failures or server_errors else 0)
PY
}

CHECKS=${CHECKS:-all}
status=0
run() {  # name publisher token [filters...]
    local name=$1 publisher=$2 token=$3
    shift 3
    local report="$WORK/$name.ndjson"
    FUZZ_PUBLISHER=$publisher PYTHONPATH="$WORK:$PWD/tests" SCHEMATHESIS_HOOKS=fuzz_hooks \
        "$VENV/bin/schemathesis" --config-file schemathesis.toml run "$BASE/api/v1/openapi.json" \
        -H "Authorization: Bearer $token" --checks "$CHECKS" \
        --max-examples "$EXAMPLES" --seed "$SEED" --workers 2 \
        --generation-database none --suppress-health-check all --no-color \
        --report ndjson --report-ndjson-path "$report" "$@" >"$WORK/$name.out" 2>&1 || true
    # Schemathesis's own errors (its generator giving up on a schema) are shown, not counted:
    # the portal fails only on a failed check, a 5xx or a traceback in its log.
    if grep -q '^Errors:' "$WORK/$name.out"; then
        sed -n '/^Errors:/,/^$/p' "$WORK/$name.out"
        grep -A2 -E '^_+ [A-Z]+ /' "$WORK/$name.out" | head -n 20
    fi
    summarize "$report" "$name" || status=1
}
run "every operation, $DEP's token" "$DEP" "$DEP_TOKEN"
run "disclosures and responses, $ENT's token" "$ENT" "$ENT_TOKEN" \
    --include-path-regex '^/api/v1/(disclosures|responses)' --exclude-method GET
if grep -q -E 'Traceback|Exception on' "$WORK/server.log"; then
    echo "The server logged errors:" >&2
    grep -A25 -E 'Exception on|Traceback' "$WORK/server.log" | head -n 120 >&2
    status=1
fi
exit $status
