#!/usr/bin/env bash
# Runs a command beside a private PostgreSQL server: a new cluster in a temporary folder, owned by an
# unprivileged user (PostgreSQL refuses to run as root), on a free port of 127.0.0.1, trusted only
# there. The command finds it in LOCALFORCE_TEST_POSTGRES (postgres://localforce@127.0.0.1:<port>/postgres).
# The server is stopped and its folder removed when the command ends, whatever its outcome.
#   scripts/with-postgres.sh npx jest test/api
set -euo pipefail

bindir=""
for dir in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/*/bin; do
  if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then bindir="$dir"; break; fi
done
if [[ -z "$bindir" ]]; then
  echo "with-postgres: initdb and pg_ctl not found; install PostgreSQL 15 (Debian: apt-get install postgresql-15, or scripts/install-system-tools.sh)" >&2
  exit 1
fi

folder="$(mktemp -d /tmp/localforce-pg.XXXXXX)"
run_as=()
if [[ "$(id -u)" == 0 ]]; then
  chown nobody "$folder"
  run_as=(runuser -u nobody --)
fi
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

stop() {
  local status=$?
  # A failed run shows what PostgreSQL itself reported (ended sessions, crashes), to tell its part from ours.
  if [[ "$status" != 0 && -f "$folder/server.log" ]]; then
    echo "with-postgres: PostgreSQL's own warnings and errors during the run:" >&2
    grep -E 'PANIC|FATAL|ERROR|WARNING|terminat|crash' "$folder/server.log" | grep -vE 'does not exist|duplicate key|violates|syntax error|no such savepoint|there is no transaction|aborted, commands ignored|could not serialize' | tail -n 40 >&2 || true
  fi
  "${run_as[@]}" "$bindir/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}
trap stop EXIT

"${run_as[@]}" "$bindir/initdb" -D "$folder/data" -U localforce --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
  || { cat "$folder/initdb.log" >&2; exit 1; }
# Test settings: durability traded for speed (a crashed test server is thrown away anyway).
"${run_as[@]}" "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $folder -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
  || { cat "$folder/server.log" >&2; exit 1; }

export LOCALFORCE_TEST_POSTGRES="postgres://localforce@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
