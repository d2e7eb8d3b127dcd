#!/usr/bin/env bash
# Benchmarks connector-mock against the reference server in tools/bench/reference/ (a
# minimal actix-web + sled server that serves a byte-for-byte copy of connector-mock's
# connectors) in the same run, and prints the results as ratios, so they do not depend
# on the machine. Loopback only, bounded durations; every server is stopped on exit.
#
# Usage: bash tools/bench/run.sh [seconds-per-wrk-run, default 10]
# Environment:
#   BENCH_SIZES  tenant sizes (default "50 5000"; the first is "small", the last "large")
#   BENCH_OUT    also write the table and every raw wrk/hyperfine output to this file
# Needs cargo, curl, python3; installs wrk and hyperfine with apt-get when missing.
set -euo pipefail
out="${BENCH_OUT:+$(realpath -m "$BENCH_OUT")}" # resolved before the cd below
cd "$(dirname "$0")/../.."

seconds="${1:-10}"
read -r -a sizes <<<"${BENCH_SIZES:-50 5000}"
small="${sizes[0]}"
large="${sizes[-1]}"
token='bench-token' # also written in patch.lua and post-delete.lua
auth="Authorization: Bearer $token"
bench=tools/bench
mock_bin="$PWD/target/release/connector-mock"
ref_bin="$PWD/target/release/bench-reference"
work="$(mktemp -d)"  # data directories, fifos, server logs, raw outputs
raw="$work/raw.txt"   # every wrk and hyperfine output, for BENCH_OUT
declare -A R=()       # results by key, e.g. R[mock.get.50.rps]
declare -A fifo_fd=() # server pid -> the fd its first stdout line was read from
pids=()               # servers still running

# ---------------------------------------------------------------------------- setup

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_tools() {
  if ! command -v wrk >/dev/null || ! command -v hyperfine >/dev/null; then
    echo "== installing wrk and hyperfine"
    apt-get update -qq && apt-get install -y -qq wrk hyperfine >/dev/null
  fi
}

build() {
  echo "== building connector-mock and the reference (release)"
  cargo build --release --locked --quiet
  cargo build --release --locked --quiet \
    --manifest-path "$bench/reference/Cargo.toml" --target-dir target
}

# ---------------------------------------------------------------------------- servers

# start_server NAME COMMAND...: runs COMMAND in the background with its stdout on a FIFO
# and stderr in $work/NAME.log, reads the first stdout line ("... listening on
# http://HOST:PORT") and sets server_pid and server_url. (A FIFO rather than a coproc:
# bash runs one coproc at a time, and the reference starts while connector-mock runs.)
start_server() {
  local name="$1" line="" fd
  shift
  mkfifo "$work/$name.fifo"
  "$@" >"$work/$name.fifo" 2>"$work/$name.log" &
  server_pid=$!
  pids+=("$server_pid")
  exec {fd}<"$work/$name.fifo"
  fifo_fd[$server_pid]=$fd
  if ! read -r -t 120 line <&"$fd" || [[ "$line" != *" listening on http://"* ]]; then
    echo "$name did not start (first line: '${line}')" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
  server_url="${line##* listening on }"
}

# stop_server PID: stops a server started by start_server and waits for it.
stop_server() {
  local pid="$1" kept=() p fd="${fifo_fd[$1]}"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  exec {fd}<&-
  for p in "${pids[@]}"; do
    [[ "$p" == "$pid" ]] || kept+=("$p")
  done
  pids=("${kept[@]}")
}

# start_mock NAME DURABILITY DATA_DIR: connector-mock on a free port (sets server_*).
start_mock() {
  start_server "$1" env RUST_LOG=warn CONNECTOR_MOCK_AUTH_STATIC_TOKENS="$token" \
    CONNECTOR_MOCK_STORAGE_DURABILITY="$2" "$mock_bin" --listen 127.0.0.1:0 --data "$3"
}

# start_reference NAME FROM_URL MODE: the reference, copying FROM_URL (sets server_*).
start_reference() {
  start_server "$1" "$ref_bin" --listen 127.0.0.1:0 --from "$2" --token "$token" \
    --mode "$3" --data "$work/$1.sled"
}

# status_kb PID FIELD: a /proc/PID/status field in kB (VmRSS, VmHWM), 0 when unreadable.
status_kb() {
  local key value rest
  while read -r key value rest; do
    if [[ "$key" == "$2:" ]]; then
      echo "$value"
      return
    fi
  done <"/proc/$1/status" 2>/dev/null || true
  echo 0
}

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

# cpu_ticks PID: user + system CPU time of PID so far, in clock ticks.
cpu_ticks() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  stat="${stat##*) }" # the fields after "(command name) "; utime and stime are 12th and 13th
  read -r -a fields <<<"$stat"
  echo $((fields[11] + fields[12]))
}

# wait_idle PID: waits (at most 60 s) until PID used at most 2 ticks of CPU in 200 ms.
# wrk abandons the requests still in flight when its time is up; a slow server keeps
# working on them, and the next run must not pay for that.
wait_idle() {
  local before after
  for _ in $(seq 300); do
    before="$(cpu_ticks "$1")"
    sleep 0.2
    after="$(cpu_ticks "$1")"
    if ((after - before <= 2)); then
      return
    fi
  done
  echo "  WARNING: pid $1 still busy after 60 s" >&2
}

# ---------------------------------------------------------------------------- wrk

# to_ms VALUE: wrk's "512.00us" / "2.95ms" / "1.02s" / "1.50m" in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) printf "%.2f", v / 1000
    else if (v ~ /ms$/) printf "%.2f", v
    else if (v ~ /m$/) printf "%.2f", v * 60000
    else if (v ~ /s$/) printf "%.2f", v * 1000
    else print "n/a"
  }'
}

# run_wrk KEY PID CONNECTIONS URL [SCRIPT [SCRIPT_ARGS...]]: one wrk run (2 threads) of
# $seconds against the server PID, then waits until that server is idle; stores
# R[KEY.rps], R[KEY.p99] (ms) and R[KEY.bad] (non-2xx/3xx answers plus socket errors) and
# prints a summary line. --timeout 10s so slow answers are measured instead of being
# counted as timeouts.
run_wrk() {
  local key="$1" pid="$2" connections="$3" url="$4" script=() out="$work/wrk-$1.txt"
  if (($# > 4)); then
    script=(-s "$5" "$url" -- "${@:6}")
  else
    script=("$url")
  fi
  wrk -t2 -c"$connections" -d"${seconds}s" --latency --timeout 10s -H "$auth" "${script[@]}" >"$out"
  {
    echo "== $key: wrk -t2 -c$connections -d${seconds}s --latency ${5:+-s $5} $url"
    cat "$out"
  } >>"$raw"
  R[$key.rps]="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
  R[$key.p99]="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  if [[ "$(awk '/ requests in / { print $1 }' "$out")" == 0 ]]; then
    R[$key.p99]="n/a" # no answer arrived within the run; wrk prints zeros
  fi
  R[$key.bad]="$(awk '/Non-2xx or 3xx responses:/ { bad += $NF }
    /Socket errors:/ { gsub(",", ""); bad += $4 + $6 + $8 + $10 }
    END { print bad + 0 }' "$out")"
  wait_idle "$pid"
  printf '  %-28s %8s req/s   p99 %8s ms' "$key" "${R[$key.rps]}" "${R[$key.p99]}"
  if [[ "${R[$key.bad]}" != 0 ]]; then
    printf '   WARNING: %s failed requests (see raw output)' "${R[$key.bad]}"
  fi
  echo
}

# peak_rss_during KEY PID CONNECTIONS URL: run_wrk while watching the server's memory;
# stores R[KEY.peak_mb]. The kernel's peak (VmHWM) is reset first (clear_refs 5); when
# that is not allowed, the largest VmRSS sampled every 100 ms is used instead.
peak_rss_during() {
  local key="$1" pid="$2" sampler peak_file="$work/peak-$1" hwm_reset=no
  if echo 5 2>/dev/null >"/proc/$pid/clear_refs"; then
    hwm_reset=yes
  fi
  (
    peak=0
    while kill -0 "$pid" 2>/dev/null; do
      rss="$(status_kb "$pid" VmRSS)"
      ((rss > peak)) && peak=$rss
      echo "$peak" >"$peak_file"
      sleep 0.1
    done
  ) &
  sampler=$!
  run_wrk "$@"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  local sampled hwm
  sampled="$(cat "$peak_file" 2>/dev/null || echo 0)"
  hwm="$(status_kb "$pid" VmHWM)"
  if [[ "$hwm_reset" == yes ]]; then
    R[$key.peak_mb]="$(mb "$hwm")"
  else
    R[$key.peak_mb]="$(mb "$sampled")"
  fi
  echo "  peak RSS during $key: ${R[$key.peak_mb]} MB (VmHWM reset: $hwm_reset; sampled max $(mb "$sampled") MB)" |
    tee -a "$raw"
}

# ---------------------------------------------------------------------------- checks

# same_bytes KEY URL_A URL_B: are both answers byte-identical? Stores R[KEY] = yes/no.
same_bytes() {
  curl -sf -H "$auth" -o "$work/a.body" "$2" || { echo "GET $2 failed" >&2; exit 1; }
  curl -sf -H "$auth" -o "$work/b.body" "$3" || { echo "GET $3 failed" >&2; exit 1; }
  if cmp -s "$work/a.body" "$work/b.body"; then R[$1]=yes; else R[$1]=no; fi
  echo "  $1: byte-identical: ${R[$1]} ($(wc -c <"$work/a.body") and $(wc -c <"$work/b.body") bytes)" |
    tee -a "$raw"
}

# ---------------------------------------------------------------------------- runs

# bench_size N: every measurement at tenant size N (connector-mock, then the reference).
bench_size() {
  local n="$1"
  local data="$work/mock-data-$n" mock_pid mock_url ref_pid ref_url
  echo "== N=$n: connector-mock, durability=always"
  start_mock "mock-always-$n" always "$data"
  mock_pid=$server_pid mock_url=$server_url

  R[load.$n]="$(python3 "$bench/load.py" "$mock_url" "$token" "$n" fixtures/oauth2/manifest.json)"
  echo "  load $n connectors: ${R[load.$n]} s" | tee -a "$raw"
  R[rss_load.$n]="$(mb "$(status_kb "$mock_pid" VmRSS)")"
  echo "  RSS after the load: ${R[rss_load.$n]} MB" | tee -a "$raw"

  run_wrk "mock.get.$n" "$mock_pid" 32 "$mock_url/api/connectors/c00007"
  if [[ "$n" == "$large" ]]; then
    # Before the 32-connection list run, whose memory the allocator may keep.
    peak_rss_during "mock.list16.$n" "$mock_pid" 16 "$mock_url/api/connectors"
  fi
  run_wrk "mock.list.$n" "$mock_pid" 32 "$mock_url/api/connectors"
  R[rss_list.$n]="$(mb "$(status_kb "$mock_pid" VmRSS)")"
  echo "  RSS after the list run: ${R[rss_list.$n]} MB" | tee -a "$raw"
  run_wrk "mock.patch_always.$n" "$mock_pid" 32 "$mock_url/api/connectors/c00007" "$bench/patch.lua"

  # The reference copies connector-mock's state now, before the POST+DELETE run (whose
  # last POSTs may leave connectors behind), so both serve the same connectors.
  echo "== N=$n: reference, --mode memory"
  start_reference "ref-memory-$n" "$mock_url" memory
  ref_pid=$server_pid ref_url=$server_url
  same_bytes "same_list.$n" "$mock_url/api/connectors" "$ref_url/api/connectors"
  same_bytes "same_one.$n" "$mock_url/api/connectors/c00007" "$ref_url/api/connectors/c00007"
  run_wrk "ref.get.$n" "$ref_pid" 32 "$ref_url/api/connectors/c00007"
  run_wrk "ref.list.$n" "$ref_pid" 32 "$ref_url/api/connectors"
  run_wrk "ref.patch_memory.$n" "$ref_pid" 32 "$ref_url/api/connectors/c00007" "$bench/patch.lua"
  run_wrk "ref.post_delete.$n" "$ref_pid" 32 "$ref_url/api/connectors" "$bench/post-delete.lua" "$work/config.json"
  stop_server "$ref_pid"

  echo "== N=$n: reference, --mode sled (one blocking flush per PATCH)"
  start_reference "ref-sled-$n" "$mock_url" sled
  ref_pid=$server_pid ref_url=$server_url
  run_wrk "ref.patch_sled.$n" "$ref_pid" 32 "$ref_url/api/connectors/c00007" "$bench/patch.lua"
  stop_server "$ref_pid"

  echo "== N=$n: connector-mock restarted on the same data, durability=none"
  stop_server "$mock_pid"
  start_mock "mock-none-$n" none "$data"
  mock_pid=$server_pid mock_url=$server_url
  run_wrk "mock.patch_none.$n" "$mock_pid" 32 "$mock_url/api/connectors/c00007" "$bench/patch.lua"
  run_wrk "mock.post_delete.$n" "$mock_pid" 32 "$mock_url/api/connectors" "$bench/post-delete.lua" "$work/config.json"
  stop_server "$mock_pid"
  rm -rf "$data" "$work"/*.sled
}

# Start-up: process start to the first 200 of GET /api/connector-factories.
bench_startup() {
  echo "== start-up: process start to the first 200 of GET /api/connector-factories"
  local pidfile="$work/startup.pid"
  hyperfine --warmup 3 --runs 30 --style basic --export-json "$work/startup.json" \
    --prepare "bash $bench/start-once.sh --settle $pidfile" \
    "bash $bench/start-once.sh $mock_bin $pidfile" >"$work/startup.txt"
  bash "$bench/start-once.sh" --settle "$pidfile"
  {
    echo "== start-up (hyperfine, bash $bench/start-once.sh)"
    cat "$work/startup.txt"
  } >>"$raw"
  # The median: one slow start (e.g. the system reclaiming memory) would skew the mean.
  R[startup]="$(python3 -c 'import json, sys
print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$work/startup.json")"
  echo "  median ${R[startup]} ms" | tee -a "$raw"
}

# ---------------------------------------------------------------------------- table

# ratio A B: A / B with two decimals ("n/a" when either is missing or B is 0).
ratio() {
  awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {
    if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"
    else printf "%.2f", a / b
  }'
}

# met VALUE OP LIMIT: "yes", "**no**" or "n/a" (OP is >= or <).
met() {
  awk -v v="${1:-}" -v op="$2" -v t="$3" 'BEGIN {
    if (v == "" || v == "n/a") print "n/a"
    else if ((op == ">=" && v + 0 >= t + 0) || (op == "<" && v + 0 < t + 0)) print "yes"
    else print "**no**"
  }'
}

# rate KEY: "12345 req/s, p99 2.95 ms" for a wrk run.
rate() { echo "${R[$1.rps]:-n/a} req/s, p99 ${R[$1.p99]:-n/a} ms"; }

# row WHAT MOCK REFERENCE VALUE OP LIMIT UNIT: one table line.
row() {
  local limit="—" verdict="—"
  if [[ -n "$5" ]]; then
    limit="$5 $6$7"
    verdict="$(met "$4" "$5" "$6")"
  fi
  echo "| $1 | $2 | $3 | $4$7 | $limit | $verdict |"
}

print_table() {
  local s="$small" l="$large" r
  echo "| measurement | connector-mock | reference | result | target | met |"
  echo "|---|---|---|---|---|---|"
  r="$(ratio "${R[mock.get.$s.rps]:-}" "${R[ref.get.$s.rps]:-}")"
  row "GET one, N=$s: mock ÷ reference memory" "$(rate "mock.get.$s")" "$(rate "ref.get.$s")" "$r" ">=" 0.8 ""
  r="$(ratio "${R[mock.list.$s.rps]:-}" "${R[ref.list.$s.rps]:-}")"
  row "list, N=$s: mock ÷ reference memory (bodies byte-identical: ${R[same_list.$s]:-n/a})" \
    "$(rate "mock.list.$s")" "$(rate "ref.list.$s")" "$r" ">=" 0.5 ""
  r="$(ratio "${R[mock.patch_none.$s.rps]:-}" "${R[ref.patch_memory.$s.rps]:-}")"
  row "PATCH, N=$s: mock durability=none ÷ reference memory" \
    "$(rate "mock.patch_none.$s")" "$(rate "ref.patch_memory.$s")" "$r" ">=" 0.5 ""
  r="$(ratio "${R[mock.patch_always.$s.rps]:-}" "${R[ref.patch_sled.$s.rps]:-}")"
  row "PATCH, N=$s, 32 connections: mock durability=always ÷ reference sled (flush per PATCH)" \
    "$(rate "mock.patch_always.$s")" "$(rate "ref.patch_sled.$s")" "$r" ">=" 1.5 ""
  r="$(ratio "${R[mock.post_delete.$s.rps]:-}" "${R[ref.post_delete.$s.rps]:-}")"
  row "POST+DELETE, N=$s: mock durability=none ÷ reference memory" \
    "$(rate "mock.post_delete.$s")" "$(rate "ref.post_delete.$s")" "$r" "" "" ""
  r="$(ratio "${R[mock.get.$l.rps]:-}" "${R[mock.get.$s.rps]:-}")"
  row "GET one, mock: N=$l ÷ N=$s" "$(rate "mock.get.$l")" "(N=$s) $(rate "mock.get.$s")" "$r" ">=" 0.8 ""
  r="$(ratio "${R[mock.patch_always.$l.rps]:-}" "${R[mock.patch_always.$s.rps]:-}")"
  row "PATCH durability=always, mock: N=$l ÷ N=$s" "$(rate "mock.patch_always.$l")" \
    "(N=$s) $(rate "mock.patch_always.$s")" "$r" ">=" 0.8 ""
  r="$(ratio "${R[mock.get.$l.rps]:-}" "${R[ref.get.$l.rps]:-}")"
  row "GET one, N=$l: mock ÷ reference memory" "$(rate "mock.get.$l")" "$(rate "ref.get.$l")" "$r" "" "" ""
  r="$(ratio "${R[mock.list.$l.rps]:-}" "${R[ref.list.$l.rps]:-}")"
  row "list, N=$l: mock ÷ reference memory (bodies byte-identical: ${R[same_list.$l]:-n/a})" \
    "$(rate "mock.list.$l")" "$(rate "ref.list.$l")" "$r" "" "" ""
  r="$(ratio "${R[mock.patch_always.$l.rps]:-}" "${R[ref.patch_sled.$l.rps]:-}")"
  row "PATCH, N=$l: mock durability=always ÷ reference sled" \
    "$(rate "mock.patch_always.$l")" "$(rate "ref.patch_sled.$l")" "$r" "" "" ""
  row "load $l connectors through the API (4 keep-alive connections)" "${R[load.$l]:-n/a} s" "—" \
    "${R[load.$l]:-n/a}" "<" 5 " s"
  row "peak RSS while 16 clients list $l connectors" "$(rate "mock.list16.$l")" "—" \
    "${R[mock.list16.$l.peak_mb]:-n/a}" "<" 150 " MB"
  for n in "$s" "$l"; do
    row "p99 GET one, N=$n, 32 connections" "$(rate "mock.get.$n")" "$(rate "ref.get.$n")" \
      "${R[mock.get.$n.p99]:-n/a}" "<" 10 " ms"
    row "p99 PATCH durability=always, N=$n, 32 connections" "$(rate "mock.patch_always.$n")" \
      "$(rate "ref.patch_sled.$n")" "${R[mock.patch_always.$n.p99]:-n/a}" "<" 10 " ms"
    if [[ "$s" == "$l" ]]; then break; fi
  done
  row "start-up to the first 200 of GET /api/connector-factories (median, incl. bash + curl)" \
    "${R[startup]:-n/a} ms" "—" "${R[startup]:-n/a}" "<" 50 " ms"
  row "RSS after the list run, N=$s" "${R[rss_list.$s]:-n/a} MB" "—" "${R[rss_list.$s]:-n/a}" "<" 60 " MB"
  echo
  local loads="" rss="" same="" failed=""
  for n in "${sizes[@]}"; do
    loads+="N=$n ${R[load.$n]:-n/a} s, "
    rss+="N=$n ${R[rss_load.$n]:-n/a} MB, "
    same+="N=$n ${R[same_one.$n]:-n/a}, "
  done
  echo "Load through the API: ${loads%, }."
  echo "RSS after the load: ${rss%, }."
  echo "GET /api/connectors/c00007 byte-identical: ${same%, }."
  for key in "${!R[@]}"; do
    if [[ "$key" == *.bad && "${R[$key]}" != 0 ]]; then failed+=" ${key%.bad} (${R[$key]})"; fi
  done
  echo "Runs with failed requests (non-2xx/3xx or socket errors):${failed:- none}."
}

# ---------------------------------------------------------------------------- main

install_tools
build
python3 -c 'import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["sampleConfig"], separators=(",", ":")))' \
  fixtures/oauth2/manifest.json >"$work/config.json"
echo "wrk: 2 threads, ${seconds}s per run; tenant sizes: ${sizes[*]}; $(nproc) cores"
bench_startup # first, while the machine is quiet
for n in "${sizes[@]}"; do
  bench_size "$n"
done

echo
echo "## connector-mock ÷ reference, measured in the same run ($(date -u +%Y-%m-%d), ${seconds}s per wrk run)"
echo
print_table | tee "$work/table.md"
if [[ -n "$out" ]]; then
  {
    echo "# connector-mock benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${seconds}s per wrk run"
    echo
    cat "$work/table.md"
    echo
    echo '```text'
    cat "$raw"
    echo '```'
  } >"$out"
  echo "wrote $out"
fi
