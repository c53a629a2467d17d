#!/usr/bin/env bash
# The test command (README): starts a local PostgreSQL for the repository tests, runs every test project
# against real SQLite files and that server, and prints "N passed, N failed" from the TRX results.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${EDU_TEST_POSTGRES:-}" ]; then
  eval "$(bash scripts/start-postgres.sh)"
fi
export EDU_TEST_POSTGRES
results="$(pwd)/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
dotnet build EduBureau.slnx -c Release -v q -nologo || exit 1
dotnet test EduBureau.slnx -c Release --no-build -nologo --logger "trx" --results-directory "$results" || status=$?
passed=0; failed=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c"); fl=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c")
  passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0}))
done
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then echo "no test results found" >&2; status=1; fi
echo "$passed passed, $failed failed"
exit $status
