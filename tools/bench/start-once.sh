#!/usr/bin/env bash
# Starts the release binary on a free port, waits for its first stdout line, stops it.
set -euo pipefail
bin="$1"
coproc SERVER { exec "$bin" --listen 127.0.0.1:0 --ephemeral 2>/dev/null; }
server_pid=$SERVER_PID
exec {server_out}<&"${SERVER[0]}"
read -r line <&"$server_out"
[[ "$line" == "connector-mock listening on http://"* ]] || { echo "unexpected: $line" >&2; exit 1; }
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
