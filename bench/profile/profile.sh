#!/usr/bin/env bash
# Profiles the Server under one load scenario (default: hub-metadata at 32 callers) and writes a Markdown summary of
# where its CPU goes. See bench/profile.md. Run from anywhere; takes about 2.5 minutes.
#
#   bench/profile/profile.sh                      # writes bench/profile/out/summary.md (+ raw traces beside it)
#   SCENARIO=hub-reveal CALLERS=8 bench/profile/profile.sh
#
# Settings (environment): SCENARIO, CALLERS, JIT_WARMUP (s, default 40), SAMPLE_SECONDS (per profiler, default 20),
# OUT (folder, default bench/profile/out), PERF=0 to skip the perf pass.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scenario=${SCENARIO:-hub-metadata}
callers=${CALLERS:-32}
jit_warmup=${JIT_WARMUP:-40}
sample=${SAMPLE_SECONDS:-20}
out=${OUT:-bench/profile/out}
use_perf=${PERF:-1}
export PATH="$PATH:$HOME/.dotnet/tools"

for tool in dotnet-trace dotnet-counters node; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (dotnet tool install -g $tool; node comes with the repository's npm setup)." >&2; exit 2; }
done
if [[ "$use_perf" == 1 ]] && ! command -v perf >/dev/null; then
  echo "perf not found: skipping the perf pass (apt-get install linux-perf, or PERF=0)." >&2
  use_perf=0
fi

mkdir -p "$out"
rm -f "$out"/server.nettrace "$out"/server.speedscope.json "$out"/counters.csv "$out"/server.perf "$out"/server.perf.txt
# Timeline after the bench's JIT warm-up: counters over everything; dotnet-trace for $sample s; then perf for $sample s.
duration=$((2 * sample + 15))
server_env=()
if [[ "$use_perf" == 1 ]]; then
  # perf names JIT-compiled code from /tmp/perf-<pid>.map (3 = perf map only, no jitdump); with W^X on, JIT code
  # runs from a memfd double mapping that perf cannot match to the map.
  server_env=(--server-env DOTNET_PerfMapEnabled=3 --server-env DOTNET_EnableWriteXorExecute=0)
fi

echo "Building..."
dotnet build bench/Integrations.Bench.Load -c Release -v quiet --nologo >/dev/null
echo "Load: $scenario at $callers callers, ${jit_warmup} s JIT warm-up, then ${duration} s measured while profiling."
dotnet run -c Release --no-build --project bench/Integrations.Bench.Load -- \
  --callers "$callers" --scenarios "$scenario" --jit-warmup "$jit_warmup" --warmup 2 --duration "$duration" \
  --max-minutes 10 --out "$out/bench.md" "${server_env[@]}" >"$out/bench.log" 2>&1 &
bench=$!

pid=""
for _ in $(seq 120); do
  pid=$(grep -o 'Server on .* (pid [0-9]*' "$out/bench.log" 2>/dev/null | grep -o '[0-9]*$' || true)
  [[ -n "$pid" ]] && break
  kill -0 "$bench" 2>/dev/null || { cat "$out/bench.log"; exit 1; }
  sleep 1
done
[[ -n "$pid" ]] || { echo "The Server did not start; see $out/bench.log" >&2; kill "$bench"; exit 1; }
echo "Server pid $pid; waiting for the JIT warm-up to end..."
for _ in $(seq $((jit_warmup + 180))); do
  grep -q '^JIT warm-up' "$out/bench.log" && break
  kill -0 "$bench" 2>/dev/null || { cat "$out/bench.log"; exit 1; }
  sleep 1
done
sleep 3 # the bench's own 2 s warm-up

dotnet-counters collect -p "$pid" --counters System.Runtime --refresh-interval 2 --format csv -o "$out/counters.csv" \
  --duration "00:00:00:$((2 * sample + 6))" >/dev/null 2>&1 &
counters=$!
echo "dotnet-trace: ${sample} s of thread-time samples..."
dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$sample" -o "$out/server.nettrace" >/dev/null
if [[ "$use_perf" == 1 ]]; then
  echo "perf: ${sample} s of on-CPU samples..."
  perf record -F 999 -g -p "$pid" -o "$out/server.perf" -- sleep "$sample" >/dev/null 2>&1
  perf script -i "$out/server.perf" >"$out/server.perf.txt" 2>/dev/null
fi

wait "$counters" || true
wait "$bench" || true
rm -f "/tmp/perf-$pid.map" "/tmp/perfinfo-$pid.map"
dotnet-trace convert "$out/server.nettrace" --format Speedscope -o "$out/server" >/dev/null

ops_per_second=$(grep -E "^\| $callers \| $scenario \|" "$out/bench.md" | awk -F'|' '{gsub(/ /,"",$4); print $4}')
ops=$((ops_per_second * sample))
{
  echo "# Server profile: $scenario at $callers callers"
  echo
  echo "Measured while profiling (profilers cost CPU: use the load bench without them for the numbers):"
  echo
  cat "$out/bench.md"
  echo
  echo "## dotnet-counters"
  echo
  node bench/profile/counters.mjs "$out/counters.csv" --ops-per-second "$ops_per_second"
  echo
  echo "## dotnet-trace"
  echo
  node bench/profile/top-frames.mjs "$out/server.speedscope.json" --top 15 --ops "$ops"
  if [[ "$use_perf" == 1 ]]; then
    echo
    echo "## perf"
    echo
    node bench/profile/top-frames.mjs "$out/server.perf.txt" --top 15 --ops "$ops"
  fi
} >"$out/summary.md"
echo "Wrote $out/summary.md"
