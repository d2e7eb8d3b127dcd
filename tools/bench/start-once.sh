#!/usr/bin/env bash
# Start-up measurement helper for hyperfine (see run.sh).
#
#   bash start-once.sh BINARY PIDFILE
#     Starts BINARY on a free port (ephemeral storage, full bundled catalog, static
#     token), reads its "listening" line, polls GET /api/connector-factories with curl in
#     a tight loop until it answers 200, then sends SIGTERM, writes the server's pid to
#     PIDFILE and exits at once: the shutdown (~0.3 s: actix's graceful stop and the
#     removal of the temporary database) is not part of the start-up time.
#   bash start-once.sh --settle PIDFILE
#     Waits (at most 10 s) until the server named in PIDFILE has exited. run.sh passes
#     this to hyperfine's --prepare, which is not timed, so runs never overlap.
set -euo pipefail

if [[ "$1" == "--settle" ]]; then
  pid="$(cat "$2" 2>/dev/null || true)"
  for _ in $(seq 1000); do
    # Gone, or a zombie (exited; its new parent, init, has not reaped it yet).
    state="$(cut -d ' ' -f 3 "/proc/$pid/stat" 2>/dev/null || echo gone)"
    if [[ -z "$pid" || "$state" == gone || "$state" == Z ]]; then
      exit 0
    fi
    sleep 0.01
  done
  echo "server $pid still running after 10 s" >&2
  exit 1
fi

bin="$1"
pidfile="$2"
coproc SERVER {
  exec env RUST_LOG=warn CONNECTOR_MOCK_AUTH_STATIC_TOKENS=bench-token \
    "$bin" --listen 127.0.0.1:0 --ephemeral 2>/dev/null
}
# shellcheck disable=SC2153 # SERVER_PID is set by coproc
server_pid=$SERVER_PID
echo "$server_pid" >"$pidfile"
exec {server_out}<&"${SERVER[0]}"
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
read -r line <&"$server_out"
[[ "$line" == "connector-mock listening on http://"* ]] || { echo "unexpected: $line" >&2; exit 1; }
url="${line#connector-mock listening on }/api/connector-factories"
for _ in $(seq 1000); do
  status="$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer bench-token' "$url" || true)"
  if [[ "$status" == 200 ]]; then
    exit 0 # the EXIT trap stops the server
  fi
done
echo "no 200 from $url" >&2
exit 1
