#!/usr/bin/env bash
# Dormant-account benchmark on PostgreSQL, against psql in the same run:
#  1. `users disable --inactive 90d --dry-run` (process start included, median of
#     RUNS runs) vs `psql -c 'SELECT id … ORDER BY id'` of the same ids;
#  2. the real run (`--yes`) on a copy: wall time and its longest batch transaction,
#     measured by authctl around each BEGIN … COMMIT (reported in its JSON summary
#     and with -v per batch), cross-checked with the longest `COMMIT` wait seen by
#     pg_stat_statements where that extension is available.
#
#   N=1000000 DORMANT=100000 benches/dormant.sh   (PGHOST/PGPORT/PGUSER default to
#                                                  127.0.0.1:5432 postgres)
#   REAL=0 benches/dormant.sh                     (the dry-run comparison only)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
DORMANT=${DORMANT:-$((N / 10))}
RUNS=${RUNS:-5}
REAL=${REAL:-1}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BIN=${CARGO_TARGET_DIR:-target}/release/authctl
cargo build --release --quiet
TPL=authctl_bench_dormant_tpl
url() { echo "postgres://${PGUSER}@${PGHOST}:${PGPORT}/$1"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== seeding $TPL: $N users, $DORMANT of them dormant for 90 days =="
psql_q -d postgres -c "DROP DATABASE IF EXISTS $TPL" -c "CREATE DATABASE $TPL"
"$BIN" --quiet --database-url "$(url $TPL)" migrate
# Every (N / DORMANT)-th user is dormant: last login 91–400 days ago, one in ten of
# them never logged in (created 91–400 days ago). The rest logged in within 89 days.
# Random uuid keys, as the application makes them; 1% admins; each dormant user has
# an unrevoked refresh token and an active session, as a forgotten login leaves.
psql_q -d $TPL <<SQL
INSERT INTO users (id, email, password_hash, role, created_at, last_login)
SELECT gen_random_uuid(), 'user' || g || '@example.com',
       '\$2b\$12\$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
       CASE WHEN g % 100 = 1 THEN 'admin' ELSE 'user' END,
       now() - interval '500 days',
       CASE WHEN g % ($N / $DORMANT) <> 0 THEN now() - (g % 89) * interval '1 day' - interval '1 minute'
            WHEN g % (10 * ($N / $DORMANT)) = 0 THEN NULL
            ELSE now() - interval '91 days' - (g % 300) * interval '1 day' END
FROM generate_series(1, $N) g;
UPDATE users SET created_at = now() - interval '91 days' - (abs(hashtext(email)) % 300) * interval '1 day'
WHERE last_login IS NULL;
INSERT INTO refresh_tokens (user_id, token, expires_at)
SELECT id, 'eyJhbGciOiJIUzI1NiJ9.' || md5(id::text) || md5(email), now() + interval '7 days'
FROM users WHERE last_login IS NULL OR last_login < now() - interval '90 days';
INSERT INTO login_sessions (user_id, session_token, expires_at)
SELECT id, gen_random_uuid(), now() + interval '7 days'
FROM users WHERE last_login IS NULL OR last_login < now() - interval '90 days';
VACUUM ANALYZE;
SQL

WHERE="password_hash NOT LIKE '!%' AND (last_login < now() - interval '90 days' OR (last_login IS NULL AND created_at < now() - interval '90 days'))"
dormant=$(psql -X -At -d $TPL -c "SELECT count(*) FROM users WHERE $WHERE")
echo "dormant users: $dormant"
echo "plan of the candidate read:"
psql -X -At -d $TPL -c "EXPLAIN SELECT id, email, role, created_at, last_login FROM users WHERE $WHERE ORDER BY id" | sed 's/^/  /'

time_runs() { # command...: median wall ms over $RUNS runs, stdout discarded
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
ts = []
for _ in range(runs):
    t = time.perf_counter(); subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); ts.append(time.perf_counter() - t)
ts.sort()
print(f"{ts[len(ts)//2]*1000:.1f}")
PY
}

echo "== dry run vs psql (median of $RUNS runs, process start included) =="
DB=$(url $TPL)
psql_ids=$(time_runs psql -X -At -d $TPL -c "SELECT id FROM users WHERE $WHERE ORDER BY id")
psql_cols=$(time_runs psql -X -At -d $TPL -c "SELECT id, email, role, last_login, created_at FROM users WHERE $WHERE ORDER BY id")
csv_ms=$(time_runs "$BIN" --database-url "$DB" -o csv users disable --inactive 90d --dry-run)
table_ms=$(time_runs "$BIN" --database-url "$DB" users disable --inactive 90d --dry-run)
json_ms=$(time_runs "$BIN" --database-url "$DB" -o json users disable --inactive 90d --dry-run)
lines=$("$BIN" --database-url "$DB" -o csv users disable --inactive 90d --dry-run | wc -l)
python3 -c "
p, c, s, t, j = $psql_ids, $psql_cols, $csv_ms, $table_ms, $json_ms
print(f'psql SELECT id … ORDER BY id                 {p:8.1f} ms')
print(f'psql SELECT id, email, role, last_login, …   {c:8.1f} ms   {c/p:.2f}x')
print(f'authctl -o csv   users disable --dry-run     {s:8.1f} ms   {s/p:.2f}x  (goal <= 2x)')
print(f'authctl (table)  users disable --dry-run     {t:8.1f} ms   {t/p:.2f}x')
print(f'authctl -o json  users disable --dry-run     {j:8.1f} ms   {j/p:.2f}x')
print(f'dry-run CSV rows: {$lines - 1}')"

if [ "$REAL" = 1 ]; then
echo "== the real run on a copy =="
psql_q -d postgres -c "DROP DATABASE IF EXISTS authctl_bench_dormant" -c "CREATE DATABASE authctl_bench_dormant TEMPLATE $TPL"
STATS=0
if psql_q -d authctl_bench_dormant -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" 2>/dev/null \
  && psql -X -At -d authctl_bench_dormant -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1; then
  STATS=1
fi
report=$(mktemp)
t0=$(date +%s%3N)
"$BIN" --database-url "$(url authctl_bench_dormant)" -v --yes -o json users disable --inactive 90d >"$report" 2>"$report.log"
wall=$(( $(date +%s%3N) - t0 ))
python3 - "$report" "$wall" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); s = r["summary"]; wall = int(sys.argv[2])
print(f"disabled {s['disabled']} of {s['candidates']} candidates ({s['skipped']} skipped) in {wall/1000:.1f} s "
      f"({s['disabled']/(wall/1000):.0f} accounts/s), {s['batches']} batch transactions")
print(f"longest batch transaction: {s['longest_batch_ms']} ms (goal < 250 ms)")
print(f"tokens revoked {s['tokens_revoked']}, sessions deactivated {s['sessions_invalidated']}")
PY
grep -o 'batch [0-9]*: [0-9]* accounts in [0-9]* ms' "$report.log" | awk '{print $6}' | sort -n \
  | awk '{a[NR]=$1} END {if (NR) {p = int(NR*0.95)+1; if (p > NR) p = NR; printf "batch ms: median %d, p95 %d, max %d over %d batches\n", a[int(NR/2)+1], a[p], a[NR], NR}}'
left=$(psql -X -At -d authctl_bench_dormant -c "SELECT count(*) FROM users WHERE $WHERE")
echo "dormant users left enabled: $left (the last admin, if it was dormant)"
if [ "$STATS" = 1 ]; then
  psql -X -At -d authctl_bench_dormant -c "SELECT 'pg_stat_statements: longest COMMIT ' || round(max_exec_time::numeric, 1) || ' ms over ' || calls || ' commits' FROM pg_stat_statements WHERE query ILIKE 'commit%' ORDER BY max_exec_time DESC LIMIT 1" || true
fi
rm -f "$report" "$report.log"
psql_q -d postgres -c "DROP DATABASE authctl_bench_dormant"
fi
psql_q -d postgres -c "DROP DATABASE $TPL"
