#!/usr/bin/env bash
# Benchmarks connector-mock on this machine (loopback only, bounded durations).
# Needs: wrk and hyperfine (Debian: apt-get install wrk hyperfine).
# Usage: bash tools/bench/run.sh [seconds-per-load-run, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
cargo build --release --quiet
bin="$PWD/target/release/connector-mock"

echo "== start-up: process start to the 'listening' line (ephemeral storage)"
hyperfine --warmup 3 --runs 30 --style basic --output=pipe "bash tools/bench/start-once.sh $bin"

run_load() {
  local durability="$1"
  local data
  data="$(mktemp -d)"
  coproc SERVER { exec env RUST_LOG=warn CONNECTOR_MOCK_STORAGE_DURABILITY="$durability" \
    CONNECTOR_MOCK_AUTH_STATIC_TOKENS=bench-token \
    "$bin" --listen 127.0.0.1:0 --data "$data/db" 2>/dev/null; }
  server_pid=$SERVER_PID
  exec {server_out}<&"${SERVER[0]}"
  read -r line <&"$server_out"
  local base="${line#connector-mock listening on }"
  local auth='Authorization: Bearer bench-token'
  curl -sf -X POST "$base/api/connectors" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"id":"bench","connectorId":"mock-email-service-alternative","config":{}}' >/dev/null
  echo "== durability=$durability: GET /api/connectors/bench (2 threads, 32 connections, ${seconds}s)"
  wrk -t2 -c32 -d"${seconds}s" --latency -H "$auth" "$base/api/connectors/bench" | sed -n '1,12p'
  echo "== durability=$durability: PATCH /api/connectors/bench (2 threads, 32 connections, ${seconds}s)"
  wrk -t2 -c32 -d"${seconds}s" --latency -H "$auth" -s tools/bench/patch.lua "$base/api/connectors/bench" | sed -n '1,12p'
  local keys
  keys="$(curl -sf -H "$auth" "$base/api/connectors/bench" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["config"]))')"
  echo "config keys after the PATCH run: $keys (expected 50: no update lost)"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  rm -rf "$data"
}

run_load always
run_load batched
