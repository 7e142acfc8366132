#!/bin/bash
# Rows written before the names in them were taught (issue 20, decision 0017): generated records
# imported file by file, as `portal generate` says to, into a fresh PostgreSQL database (DROPPED
# first if it exists), then how many rows of each kind `portal reindex` writes otherwise (each
# row's tsvector before and after). With every name taught before it is needed, none should.
#
#   bench/names_taught_late.sh [DATABASE] [RECORDS]    (default clearwater_names 10000)
#
# Prints each import, `portal check`'s verdict, and lines "kind|rows that changed|rows".
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-clearwater_names}
RECORDS=${2:-10000}
GEN=/tmp/clearwater-names-$RECORDS
SERVER=${PGHOST:-127.0.0.1}
psql -q -h "$SERVER" -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "CREATE DATABASE $DB"
export PORTAL_DATABASE_URL=postgresql+psycopg://postgres@$SERVER:5432/$DB
export PORTAL_INDEX_DIR=/tmp/clearwater-names-index
[ -d "$GEN" ] || .venv/bin/portal generate --records "$RECORDS" --out "$GEN"
.venv/bin/portal init >/dev/null
start=$(date +%s)
for f in $(ls "$GEN"/*.ndjson | sort); do
    .venv/bin/portal import "$f" --as-recorded | tail -1
done
echo "imports took $(($(date +%s) - start)) s"
.venv/bin/portal check | tail -2 || true
psql -q -h "$SERVER" -U postgres -d "$DB" \
    -c "CREATE TABLE before AS SELECT record_id, kind, tsv FROM search_document"
.venv/bin/portal reindex --procs 1 | tail -1
psql -h "$SERVER" -U postgres -d "$DB" -Atc "
    SELECT b.kind, count(*) FILTER (WHERE b.tsv IS DISTINCT FROM d.tsv), count(*)
    FROM before b JOIN search_document d USING (record_id) GROUP BY 1 ORDER BY 1"
