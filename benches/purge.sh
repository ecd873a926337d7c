#!/usr/bin/env bash
# Purge benchmark: authctl purge-expired against one raw DELETE, same data, same run,
# on the application's schema (uuid keys, raw tokens).
#
#   N=1000000 benches/purge.sh          (N expired + N live rows in each of
#                                         refresh_tokens and login_sessions)
#
# Needs a PostgreSQL server (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres)
# and builds authctl in release mode. Prints wall times, the ratio to the raw
# DELETE, rows/s and the longest batch transaction.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BIN=target/release/authctl
cargo build --release --quiet
TPL=authctl_bench_tpl
url() { echo "postgres://${PGUSER}@${PGHOST}:${PGPORT}/$1"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== seeding $TPL: $N expired + $N live rows per table (interleaved) =="
psql_q -d postgres -c "DROP DATABASE IF EXISTS $TPL" -c "CREATE DATABASE $TPL"
"$BIN" --quiet --database-url "$(url $TPL)" migrate
psql_q -d $TPL <<SQL
INSERT INTO users (id, email, password_hash)
SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'user' || g || '@example.com',
       '\$2b\$12\$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'
FROM generate_series(1, 1000) g;
-- Application-shaped rows: uuid ids (random order, as the application makes them),
-- raw tokens, expired and live rows interleaved.
INSERT INTO refresh_tokens (id, user_id, token, created_at, expires_at, is_revoked)
SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad((1 + g % 1000)::text, 12, '0'))::uuid,
       'eyJhbGciOiJIUzI1NiJ9.' || md5(g::text) || md5(('r' || g)::text), now() - interval '30 days',
       CASE WHEN g % 2 = 0 THEN now() - (g % 1000) * interval '1 minute' - interval '1 minute'
            ELSE now() + interval '30 days' + (g % 1000) * interval '1 minute' END, false
FROM generate_series(1, 2 * $N) g;
INSERT INTO login_sessions (session_id, user_id, session_token, created_at, last_activity_at, expires_at, is_active)
SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad((1 + g % 1000)::text, 12, '0'))::uuid,
       gen_random_uuid(), now() - interval '30 days', now() - interval '1 day',
       CASE WHEN g % 2 = 0 THEN now() - (g % 1000) * interval '1 minute' - interval '1 minute'
            ELSE now() + interval '30 days' + (g % 1000) * interval '1 minute' END, true
FROM generate_series(1, 2 * $N) g;
VACUUM ANALYZE;
SQL

fresh() { # fresh copy of the template
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE $TPL"
  psql_q -d "$1" -c "CHECKPOINT" >/dev/null
}
now_ms() { date +%s%3N; }

echo "== baseline: one raw DELETE per table through psql =="
fresh authctl_bench_raw
t0=$(now_ms)
psql_q -d authctl_bench_raw -c "DELETE FROM refresh_tokens WHERE expires_at < now() OR (is_revoked AND revoked_at < now() - interval '7 days')" -c "DELETE FROM login_sessions WHERE expires_at < now() OR (NOT is_active AND last_activity_at < now() - interval '30 days')"
raw_ms=$(( $(now_ms) - t0 ))
left=$(psql -X -At -d authctl_bench_raw -c "SELECT (SELECT count(*) FROM refresh_tokens) + (SELECT count(*) FROM login_sessions)")
echo "raw DELETE: ${raw_ms} ms, rows left ${left}"

run() { # label, extra args
  local label=$1; shift
  fresh authctl_bench_run
  local t0 ms json
  t0=$(now_ms)
  json=$("$BIN" --database-url "$(url authctl_bench_run)" -o json purge-expired --only tokens,sessions "$@")
  ms=$(( $(now_ms) - t0 ))
  local left deleted longest batches strategy
  left=$(psql -X -At -d authctl_bench_run -c "SELECT (SELECT count(*) FROM refresh_tokens) + (SELECT count(*) FROM login_sessions)")
  read -r deleted batches longest strategy < <(python3 -c '
import json,sys; r=json.load(sys.stdin)
print(sum(t["deleted"] for t in r["tables"]), sum(t["batches"] for t in r["tables"]),
      max(t["longest_batch_ms"] for t in r["tables"]), "/".join(t["strategy"] for t in r["tables"]))' <<<"$json")
  python3 - "$label" "$ms" "$raw_ms" "$deleted" "$batches" "$longest" "$strategy" "$left" <<'PY'
import sys
label, ms, raw, deleted, batches, longest, strategy, left = sys.argv[1:]
ms, raw, deleted = int(ms), int(raw), int(deleted)
print(f"{label:<28} {ms:>7} ms  ratio {ms/raw:5.2f}x raw  {deleted/(ms/1000):>10,.0f} rows/s  "
      f"{batches:>6} batches  longest batch {longest:>4} ms  strategy {strategy}  rows left {left}")
PY
}

echo "== authctl purge-expired (process start included) =="
run "default (adaptive)"
run "--strategy keyset" --strategy keyset
run "--batch-size 10000" --batch-size 10000
run "--batch-size 100" --batch-size 100 --strategy keyset

psql_q -d postgres -c "DROP DATABASE IF EXISTS authctl_bench_raw" -c "DROP DATABASE IF EXISTS authctl_bench_run" -c "DROP DATABASE IF EXISTS $TPL"
