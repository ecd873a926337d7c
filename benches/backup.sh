#!/usr/bin/env bash
# Export/import benchmark on PostgreSQL, against PostgreSQL's own tools in the same
# run, on the same data (issue 19, item 5):
#  1. `authctl export` vs `pg_dump --data-only -Fc` of the same tables;
#  2. `authctl import` into a migrated empty database vs `pg_restore --data-only`
#     of that dump into another migrated empty database;
#  3. peak RSS of `authctl export` at 100k and at 1M users (must stay flat and
#     under 64 MiB).
#
#   benches/backup.sh                 (U=200000 users, 2U tokens, 2U sessions)
#   U=50000 SKIP_RSS=1 benches/backup.sh   (quick run: times only)
#   SKIP_TIMES=1 benches/backup.sh         (peak RSS only)
#
# Needs a PostgreSQL server (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres)
# with pg_dump/pg_restore of the same major version; builds authctl in release mode.
# Wall times are the median of RUNS runs (default 3), process start included.
set -euo pipefail
cd "$(dirname "$0")/.."
U=${U:-200000}
RUNS=${RUNS:-3}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/authctl
cargo build --release --quiet
url() { echo "postgres://${PGUSER}@${PGHOST}:${PGPORT}/$1"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TABLES=(users refresh_tokens login_sessions)

seed() { # db, users (2x refresh tokens and 2x sessions)
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  "$BIN" --quiet --database-url "$(url "$1")" migrate
  psql_q -d "$1" <<SQL
INSERT INTO users (id, email, name, password_hash, role, last_login, email_verified)
SELECT gen_random_uuid(), 'user' || g || '@example.com', 'User ' || g,
       '\$2b\$10\$' || substr(md5(g::text) || md5('h' || g::text), 1, 53),
       CASE WHEN g % 100 = 0 THEN 'admin' ELSE 'user' END, now() - g * interval '1 minute',
       g % 3 = 0
FROM generate_series(1, $2) g;
INSERT INTO refresh_tokens (id, user_id, token, created_at, expires_at, is_revoked, user_agent, ip_address)
SELECT gen_random_uuid(), u.id,
       'eyJhbGciOiJIUzI1NiJ9.' || md5(u.email || k) || md5(k || u.email) || '.' || md5(k::text),
       now() - interval '1 day', now() + interval '7 days', k = 2, 'Mozilla/5.0 (X11; Linux x86_64)', '192.0.2.1'
FROM users u, generate_series(1, 2) k;
INSERT INTO login_sessions (session_id, user_id, session_token, ip_address, user_agent, created_at, expires_at, last_activity_at, is_active)
SELECT gen_random_uuid(), u.id, gen_random_uuid(), '198.51.100.7', 'Mozilla/5.0 (X11; Linux x86_64)',
       now() - interval '1 hour', now() + interval '1 day', now() - interval '5 minutes', true
FROM users u, generate_series(1, 2) k;
VACUUM ANALYZE;
SQL
}

empty() { # a migrated empty database
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  "$BIN" --quiet --database-url "$(url "$1")" migrate
  psql_q -d "$1" -c "CHECKPOINT" >/dev/null
}

median_ms() { # setup-command, command...: median wall ms over $RUNS runs; setup runs before each, untimed
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time
runs, setup, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
ts = []
for _ in range(runs):
    subprocess.run(["bash", "-c", setup], check=True, stdout=subprocess.DEVNULL)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    ts.append(time.perf_counter() - t)
ts.sort()
print(f"{ts[len(ts)//2]*1000:.0f}")
PY
}

rss_kib() { # peak RSS of a command, KiB
  /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n1
}

if [ -z "${SKIP_TIMES:-}" ]; then
SRC=authctl_bench_backup_src
echo "== seeding $SRC: $U users, $((2 * U)) refresh tokens, $((2 * U)) sessions =="
seed $SRC "$U"
SRC_URL=$(url $SRC)
DUMP=$WORK/dump.fc
ONLY=$(IFS=,; echo "${TABLES[*]}")
T_ARGS=(); for t in "${TABLES[@]}"; do T_ARGS+=(-t "$t"); done

echo "== export (median of $RUNS) =="
pgdump_ms=$(median_ms "rm -f $DUMP" pg_dump --data-only -Fc "${T_ARGS[@]}" -d $SRC -f "$DUMP")
exp_ms=$(median_ms "rm -f $WORK/a.jsonl" "$BIN" --quiet --database-url "$SRC_URL" export --only "$ONLY" "$WORK/a.jsonl")
expz_ms=$(median_ms "rm -f $WORK/a.jsonl.zst" "$BIN" --quiet --database-url "$SRC_URL" export --only "$ONLY" "$WORK/a.jsonl.zst")
expg_ms=$(median_ms "rm -f $WORK/a.jsonl.gz" "$BIN" --quiet --database-url "$SRC_URL" export --only "$ONLY" "$WORK/a.jsonl.gz")

echo "== import into a migrated empty database (median of $RUNS) =="
restore_ms=$(median_ms "$(declare -f empty url psql_q); BIN=$BIN PGUSER=$PGUSER PGHOST=$PGHOST PGPORT=$PGPORT; empty authctl_bench_backup_r" \
  pg_restore --data-only -d authctl_bench_backup_r "$DUMP")
imp_ms=$(median_ms "$(declare -f empty url psql_q); BIN=$BIN PGUSER=$PGUSER PGHOST=$PGHOST PGPORT=$PGPORT; empty authctl_bench_backup_i" \
  "$BIN" --quiet --database-url "$(url authctl_bench_backup_i)" import "$WORK/a.jsonl")
impz_ms=$(median_ms "$(declare -f empty url psql_q); BIN=$BIN PGUSER=$PGUSER PGHOST=$PGHOST PGPORT=$PGPORT; empty authctl_bench_backup_i" \
  "$BIN" --quiet --database-url "$(url authctl_bench_backup_i)" import "$WORK/a.jsonl.zst")
# The import is checked, not only timed: every row arrived.
for t in "${TABLES[@]}"; do
  a=$(psql -X -At -d $SRC -c "SELECT count(*) FROM $t")
  b=$(psql -X -At -d authctl_bench_backup_i -c "SELECT count(*) FROM $t")
  [ "$a" = "$b" ] || { echo "import lost rows of $t: $a vs $b" >&2; exit 1; }
done

sizes=$(stat -c %s "$DUMP" "$WORK/a.jsonl" "$WORK/a.jsonl.zst" "$WORK/a.jsonl.gz" | tr '\n' ' ')
python3 - "$U" "$pgdump_ms" "$exp_ms" "$expz_ms" "$expg_ms" "$restore_ms" "$imp_ms" "$impz_ms" $sizes <<'PY'
import sys
u, d, e, ez, eg, r, i, iz, sd, se, sez, seg = map(float, sys.argv[1:])
rows = 5 * u
print(f"{int(u)} users + {int(2*u)} refresh tokens + {int(2*u)} sessions = {int(rows)} rows")
print(f"pg_dump --data-only -Fc            {d:8.0f} ms  {sd/2**20:7.1f} MiB")
print(f"authctl export FILE.jsonl          {e:8.0f} ms  {se/2**20:7.1f} MiB  ratio {e/d:.2f}x  {rows/e*1000:,.0f} rows/s")
print(f"authctl export FILE.jsonl.zst      {ez:8.0f} ms  {sez/2**20:7.1f} MiB  ratio {ez/d:.2f}x")
print(f"authctl export FILE.jsonl.gz       {eg:8.0f} ms  {seg/2**20:7.1f} MiB  ratio {eg/d:.2f}x")
print(f"pg_restore --data-only             {r:8.0f} ms")
print(f"authctl import FILE.jsonl          {i:8.0f} ms                ratio {i/r:.2f}x  {rows/i*1000:,.0f} rows/s")
print(f"authctl import FILE.jsonl.zst      {iz:8.0f} ms                ratio {iz/r:.2f}x")
PY
psql_q -d postgres -c "DROP DATABASE $SRC" -c "DROP DATABASE IF EXISTS authctl_bench_backup_r" \
  -c "DROP DATABASE IF EXISTS authctl_bench_backup_i"
fi

if [ -z "${SKIP_RSS:-}" ]; then
  echo "== peak RSS of authctl export (all tables) =="
  seed authctl_bench_backup_100k 100000
  seed authctl_bench_backup_1m 1000000
  r1=$(rss_kib "$BIN" --quiet --database-url "$(url authctl_bench_backup_100k)" export "$WORK/r1.jsonl.zst")
  r2=$(rss_kib "$BIN" --quiet --database-url "$(url authctl_bench_backup_1m)" export "$WORK/r2.jsonl.zst")
  python3 -c "
a, b = $r1, $r2
print(f' 100k users (500k rows): {a/1024:6.1f} MiB')
print(f'   1M users   (5M rows): {b/1024:6.1f} MiB   growth {b/a:.2f}x for 10x the rows; limit 64 MiB')"
  psql_q -d postgres -c "DROP DATABASE authctl_bench_backup_100k" -c "DROP DATABASE authctl_bench_backup_1m"
fi
