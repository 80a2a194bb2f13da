#!/usr/bin/env bash
# The whole test suite: unit, database (SQLite and PostgreSQL) and browser (Chromium).
# Installs the system packages it needs (Debian's chromium and postgresql) when run as
# root; otherwise says what is missing. Starts a throwaway PostgreSQL cluster on a loopback
# port unless TEST_DATABASE_URL names one, and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
die() { printf '\nrelais tests: %s\n' "$*" >&2; exit 1; }

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is needed (this is $(node -v))."

# --- system packages -------------------------------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ -z "${TEST_DATABASE_URL:-}" ] && [ -z "$pg_bin" ]; then need+=(postgresql); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  else
    die "missing: ${need[*]}. Install them with: sudo apt-get install ${need[*]} (or set TEST_DATABASE_URL to a PostgreSQL database you may create databases on)."
  fi
fi

# --- a throwaway PostgreSQL cluster ----------------------------------------------------
cleanup() {
  if [ -n "${pg_dir:-}" ] && [ -d "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pg_dir=$(mktemp -d /tmp/relais-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  pg_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  say "starting a throwaway PostgreSQL on 127.0.0.1:$pg_port"
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
fi
# TEST_DATABASE_URL must be a superuser's: tests create (idempotently) the cluster-wide roles
# relais_test_owner (owns each test database) and relais_test_app (NOSUPERUSER NOBYPASSRLS,
# owns nothing), and connect as the latter, as the app does (tests/support/databases.ts).

# --- build the app once for the browser tests ------------------------------------------
say "building the app"
node node_modules/vite/bin/vite.js build --logLevel warn
date -u +%FT%TZ > build/.relais-build-stamp

# --- types ------------------------------------------------------------------------------
results=$(mktemp -d /tmp/relais-results.XXXXXX)
status=0
say "type check (svelte-check)"
if ! node node_modules/svelte-check/bin/svelte-check --tsconfig ./tsconfig.json --threshold error --output human; then
  status=1
  echo "type check: failed" > "$results/typecheck-failed"
fi

# --- run every test --------------------------------------------------------------------
# The e2e teardown writes "log-scan-failed" here if a seeded secret reached the server log.
export RELAIS_TEST_RESULTS="$results"
run_project() {
  node node_modules/vitest/vitest.mjs run --project "$1" \
    --reporter=default --reporter=json --outputFile.json="$results/$1.json"
}
say "tests: unit"
run_project unit || status=1
# The browser journeys (one shared server) run while the database tests and then the access
# matrix (servers of its own) run beside them: much of each is waiting on the other's I/O.
# The second group's output is printed when it ends, so that the two do not interleave.
say "tests: e2e, and beside it db then access (printed after)"
side_group() {
  local failed=0
  run_project db || failed=1
  run_project access || failed=1
  return $failed
}
side_group > "$results/side.log" 2>&1 &
side=$!
run_project e2e || status=1
wait "$side" || status=1
say "tests: db then access"
cat "$results/side.log"

node -e '
  const fs = require("fs"); let passed = 0, failed = 0, skipped = 0;
  for (const p of ["unit", "db", "e2e", "access"]) {
    const f = process.argv[1] + "/" + p + ".json";
    if (!fs.existsSync(f)) { failed++; console.log(p + ": no results (the runner failed to start)"); continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + (r.numTotalTestSuites && !r.success && !r.numFailedTests ? 1 : 0);
    skipped += r.numPendingTests + r.numTodoTests;
    console.log(`${p}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  }
  if (fs.existsSync(process.argv[1] + "/typecheck-failed")) { failed++; console.log("type check: 1 failed"); }
  if (fs.existsSync(process.argv[1] + "/log-scan-failed")) { failed++; console.log(fs.readFileSync(process.argv[1] + "/log-scan-failed", "utf8").trim()); }
  if (process.env.CI && skipped) { console.log("CI: skipped tests are not allowed"); failed += skipped; }
  console.log(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  process.exit(failed ? 1 : 0);
' "$results" || status=1
rm -rf "$results"
exit $status
