#!/usr/bin/env bash
# The demo benchmark of issue 3 (BENCHMARKS.md): run after `bluelamp demo --data DIR` has
# generated its force once. Needs curl and bc. BIN and DATA override the binary and the data.
# Starts the demo on existing data, times the first page, exercises the force-year through
# the pages and API as a supervisor, and reports the server's peak resident memory.
set -euo pipefail
BIN=${BIN:-target/release/bluelamp}
DATA=${DATA:-/tmp/demo}
PORT=8099
start=$(date +%s.%N)
$BIN demo --data "$DATA" --bind 127.0.0.1:$PORT > /tmp/demo2.log 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/sign-in"; do sleep 0.05; done
first=$(date +%s.%N)
echo "first page (sign-in) after $(echo "$first - $start" | bc) s"
pw=$(grep -E '^ *demo.supervisor' "$DATA/demo-users.txt" | awk '{print $2}')
tok=$(curl -sf -X POST -H 'content-type: application/json' -d "{\"username\":\"demo.supervisor\",\"password\":\"$pw\"}" "http://127.0.0.1:$PORT/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
t() { local s=$(date +%s.%N); curl -sf -o /dev/null -H "authorization: Bearer $tok" "http://127.0.0.1:$PORT$1"; echo "  $1: $(echo "$(date +%s.%N) - $s" | bc | cut -c1-6) s"; }
t "/api/v1/measures/first-contact?from=2025-11-01&to=2026-11-01"
t "/api/v1/reviews/first-contact"
t "/api/v1/queues/incident-management"
t "/api/v1/incidents?per_page=100"
t "/api/v1/crimes?per_page=100&offence_group=violence_against_the_person"
t "/api/v1/persons?name=John%20Smith&dob=1980"
t "/api/v1/persons?name=Mohammed%20Patel"
t "/api/v1/incidents?per_page=100" && t "/api/v1/crimes?per_page=100&offence_group=violence_against_the_person"
for i in $(seq 1 20); do curl -sf -o /dev/null -H "authorization: Bearer $tok" "http://127.0.0.1:$PORT/api/v1/incidents?page=$i&per_page=100"; done
grep -E 'VmHWM|VmRSS' /proc/$pid/status
kill $pid
