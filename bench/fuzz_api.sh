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
# inspections; an enterprise for its disclosures and responses), serves the portal on a free
# local port with the rate limits lifted, and runs schemathesis twice: every operation with
# the bureau's token, then the writes of disclosures and responses with the enterprise's. It
# prints the requests tried, their statuses and the failures of each run, and exits non-zero
# if any check failed (a 5xx, or a status, content type or body outside the document) or the
# server logged a traceback. The PostgreSQL database named in FUZZ_DATABASE_URL is dropped and
# made again (and left for a look afterwards).
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

# Hooks: generated bodies publish as the token's own publisher (else nearly every write stops
# at 403), some as valid records carrying generated text (so writes succeed too), and record
# ids in paths are often records that publisher holds (so corrections and withdrawals do).
cat >"$WORK/fuzz_hooks.py" <<'PY'
import os

import factories  # tests/factories.py
import schemathesis
from hypothesis import strategies as st
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


def _valid(kind, body):
    """A record this publisher may publish (tests/factories.py), carrying the generated
    strings in its English text fields: hostile text that gets written, not refused."""
    if kind == "enterprises":
        record = factories.enterprise(publisher_id=PUBLISHER)
    elif kind == "incidents":
        record = factories.incident(publisher_id=PUBLISHER)
    elif kind == "inspections":
        record = factories.inspection("ENT-0011", publisher_id=PUBLISHER)
    elif kind == "disclosures" and PUBLISHER.startswith("ENT-"):
        record = factories.disclosure(PUBLISHER)
    else:
        return None
    strings = [v for v in body.values() if isinstance(v, str)]
    fields = [f for f in ("name_en", "title_en", "summary_en", "findings_en", "text_en") if f in record]
    record.update(zip(fields, strings))
    return record


@schemathesis.hook
def flatmap_body(ctx, body):
    path = ctx.operation.path
    if not isinstance(body, dict) or ctx.operation.method.upper() != "POST":
        return st.just(body)
    if path.endswith(("/withdraw", "/ask")):
        return st.just(body)
    kind = path.removeprefix("/api/v1/").split("/")[0]
    own = dict(body, publisher_id=PUBLISHER)
    if PUBLISHER.startswith("ENT-") and "enterprise_id" in own:
        own["enterprise_id"] = PUBLISHER
    choices = [st.just(own), st.just(body)]
    if _valid(kind, body) is not None:
        choices.insert(0, st.builds(lambda: _valid(kind, body)))
    return st.one_of(choices)


@schemathesis.hook
def flatmap_path_parameters(ctx, params):
    if not isinstance(params, dict) or "record_id" not in params:
        return st.just(params)
    owned = OWNED.get(ctx.operation.path.removeprefix("/api/v1/").split("/")[0], [])
    if not owned:
        return st.just(params)
    return st.sampled_from(owned).map(lambda i: dict(params, record_id=i)) | st.just(params)
PY

PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/python" - "$PORT" >"$WORK/server.log" 2>&1 <<'PY' &
import sys

from werkzeug.serving import run_simple

from portal import create_app

limits = {"API_RATE_LIMIT": "1000000 per minute", "ASK_RATE_LIMIT": "1000000 per minute"}
run_simple("127.0.0.1", int(sys.argv[1]), create_app(limits), threaded=True)
PY
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

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
status=0
run() {  # name publisher token [filters...]
    local name=$1 publisher=$2 token=$3
    shift 3
    local report="$WORK/$name.ndjson"
    FUZZ_PUBLISHER=$publisher PYTHONPATH="$WORK:$PWD/tests" SCHEMATHESIS_HOOKS=fuzz_hooks \
        "$VENV/bin/schemathesis" run "$BASE/api/v1/openapi.json" \
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
