#!/usr/bin/env bash
# Stats benchmark: `authctl stats -o json`, `authctl attempts top --by ip --since 1h`
# and `authctl attempts blocked` on 1,000,000 auth_attempts rows (plus tokens and
# sessions), against a baseline measured in the same run: psql running the single
# equivalent count
#   SELECT count(*) FROM auth_attempts WHERE "timestamp" > now() - interval '15 minutes'
#
#   N=1000000 RUNS=5 ATTACKERS=5000 benches/stats.sh
#
# The attempts span 40 days (so 25k fall in the last 24 hours and 1/4 are due for
# purge), with a burst of failed logins from a few IPs in the last 15 minutes, and
# then (second round) a distributed attack: ATTACKERS IPs with 6 failed logins each
# in the last 15 minutes, every one of them blocked — the case where a per-IP query
# would cost one round trip per blocked IP.
# Needs a PostgreSQL server (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres)
# and builds authctl in release mode. Prints the median wall time of RUNS runs of
# each command (process start + connect + query, as cron sees it) and its ratio to
# the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
TOKENS=${TOKENS:-200000}
RUNS=${RUNS:-5}
ATTACKERS=${ATTACKERS:-5000}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BIN=target/release/authctl
cargo build --release --quiet
DB=authctl_bench_stats
URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/$DB"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== seeding $DB: $N auth_attempts, $TOKENS refresh_tokens and login_sessions =="
psql_q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"$BIN" --quiet --database-url "$URL" migrate
psql_q -d $DB <<SQL
INSERT INTO users (id, email, password_hash, role, email_verified)
SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'user' || g || '@example.com',
       '\$2b\$12\$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
       (ARRAY['user','admin','premium',NULL])[1 + g % 4], g % 3 = 0
FROM generate_series(1, 10000) g;
INSERT INTO auth_attempts (email, ip_address, success, failure_reason, "timestamp", attempt_type)
SELECT 'user' || (g % 20000) || '@example.com',
       ('10.' || (g % 200) || '.' || (g / 200 % 250) || '.' || (g % 250))::inet,
       g % 5 <> 0, CASE WHEN g % 5 = 0 THEN 'invalid_credentials' END,
       now() - (g::float8 / $N) * interval '40 days', 'login'
FROM generate_series(1, $N - 2000) g;
-- A credential-stuffing burst: 2000 failed logins from 20 IPs in the last 15 minutes.
INSERT INTO auth_attempts (email, ip_address, success, failure_reason, "timestamp", attempt_type)
SELECT 'victim' || g || '@example.com', ('203.0.113.' || (g % 20))::inet, false,
       'invalid_credentials', now() - (g % 840) * interval '1 second', 'login'
FROM generate_series(1, 2000) g;
INSERT INTO refresh_tokens (user_id, token, created_at, expires_at, is_revoked, revoked_at)
SELECT ('00000000-0000-4000-8000-' || lpad((1 + g % 10000)::text, 12, '0'))::uuid,
       'eyJhbGciOiJIUzI1NiJ9.' || md5(g::text) || md5(('r' || g)::text), now() - interval '3 days',
       now() + ((g % 10) - 3) * interval '1 day', g % 7 = 0,
       CASE WHEN g % 7 = 0 THEN now() - interval '1 day' END
FROM generate_series(1, $TOKENS) g;
INSERT INTO login_sessions (user_id, session_token, created_at, last_activity_at, expires_at, is_active)
SELECT ('00000000-0000-4000-8000-' || lpad((1 + g % 10000)::text, 12, '0'))::uuid, gen_random_uuid(),
       now() - interval '5 days', now() - interval '1 hour',
       now() + ((g % 10) - 3) * interval '1 day', g % 7 <> 0
FROM generate_series(1, $TOKENS) g;
SQL
psql_q -d $DB -c "VACUUM ANALYZE"

# Median wall time (seconds) of RUNS runs of a command.
median() {
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

timings() {
  echo "== timing: $1 (median of $RUNS runs, wall time including process start and connect) =="
  local base stats top blocked
  base=$(median psql -X -q -At -d $DB -c "SELECT count(*) FROM auth_attempts WHERE \"timestamp\" > now() - interval '15 minutes'")
  stats=$(median "$BIN" --database-url "$URL" stats -o json)
  printf '%-55s %8.3f s\n' "baseline: psql count(*) of the last 15 minutes" "$base"
  printf '%-55s %8.3f s   ratio %5.1fx\n' "authctl stats -o json" "$stats" "$(echo "$stats / $base" | bc -l)"
  top=$(median "$BIN" --database-url "$URL" attempts top --by ip --since 1h -o json)
  printf '%-55s %8.3f s   ratio %5.1fx\n' "authctl attempts top --by ip --since 1h" "$top" "$(echo "$top / $base" | bc -l)"
  blocked=$(median "$BIN" --database-url "$URL" attempts blocked -o json)
  printf '%-55s %8.3f s   ratio %5.1fx   (%s IPs blocked)\n' "authctl attempts blocked" "$blocked" \
    "$(echo "$blocked / $base" | bc -l)" \
    "$("$BIN" --database-url "$URL" stats -o json | sed -n 's/.*"blocked_ips": \([0-9]*\).*/\1/p')"
}
timings "a burst from 20 IPs"

echo "== adding a distributed attack: $ATTACKERS IPs, 6 failed logins each in the last 15 minutes =="
psql_q -d $DB <<SQL
INSERT INTO auth_attempts (email, ip_address, success, failure_reason, "timestamp", attempt_type)
SELECT 'target' || (g % 50) || '@example.com',
       ('198.18.0.0'::inet + (g / 6)), false, 'invalid_credentials',
       now() - (60 + g % 600) * interval '1 second', 'login'
FROM generate_series(0, $ATTACKERS * 6 - 1) g;
ANALYZE auth_attempts;
SQL
timings "$ATTACKERS blocked IPs"
echo "== the snapshot =="
"$BIN" --database-url "$URL" stats
psql_q -d postgres -c "DROP DATABASE IF EXISTS $DB"
