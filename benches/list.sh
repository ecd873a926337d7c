#!/usr/bin/env bash
# `users list` benchmarks on PostgreSQL, against psql in the same run:
#  1. first page (50 rows), process start included, vs `psql -c 'SELECT … LIMIT 50'`;
#  2. peak RSS of `users list --all --output json` at 10k and 100k users (must be flat).
#
#   benches/list.sh            (PGHOST/PGPORT/PGUSER default to 127.0.0.1:5432 postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
RUNS=${RUNS:-20}
BIN=target/release/authctl
cargo build --release --quiet
url() { echo "postgres://${PGUSER}@${PGHOST}:${PGPORT}/$1"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

seed() { # db, users
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  "$BIN" --quiet --database-url "$(url "$1")" migrate
  psql_q -d "$1" -c "INSERT INTO users (email, name, password_hash, role, last_login)
    SELECT 'user' || g || '@example.com', 'User ' || g,
           '\$2b\$12\$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
           CASE WHEN g % 100 = 0 THEN 'admin' ELSE 'user' END, now() - g * interval '1 minute'
    FROM generate_series(1, $2) g" -c "VACUUM ANALYZE users"
}

time_runs() { # command...: mean wall ms over $RUNS runs
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

rss_kib() { # peak RSS of a command, KiB
  /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n1
}

seed authctl_bench_users_10k 10000
seed authctl_bench_users_100k 100000
DB=$(url authctl_bench_users_100k)

echo "== first page of 100k users (median of $RUNS runs, process start included) =="
psql_ms=$(time_runs psql -X -q -d authctl_bench_users_100k -c "SELECT id, email, name, role, password_hash LIKE '!%' AS disabled, email_verified, last_login, created_at FROM users ORDER BY email LIMIT 50")
authctl_ms=$(time_runs "$BIN" --database-url "$DB" users list)
authctl_json_ms=$(time_runs "$BIN" --database-url "$DB" -o json users list)
python3 -c "
p, a, j = $psql_ms, $authctl_ms, $authctl_json_ms
print(f'psql SELECT … LIMIT 50      {p:7.1f} ms')
print(f'authctl users list          {a:7.1f} ms   ratio {a/p:.2f}x')
print(f'authctl -o json users list  {j:7.1f} ms   ratio {j/p:.2f}x')"

echo "== peak RSS of users list --all --output json =="
r10=$(rss_kib "$BIN" --database-url "$(url authctl_bench_users_10k)" -o json users list --all)
r100=$(rss_kib "$BIN" --database-url "$DB" -o json users list --all)
python3 -c "
a, b = $r10, $r100
print(f' 10k users: {a/1024:6.1f} MiB')
print(f'100k users: {b/1024:6.1f} MiB   growth {b/a:.2f}x for 10x the users')"

psql_q -d postgres -c "DROP DATABASE authctl_bench_users_10k" -c "DROP DATABASE authctl_bench_users_100k"
