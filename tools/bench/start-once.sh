#!/usr/bin/env bash
# Starts the release binary on a free port, waits for its first stdout line, stops it.
set -euo pipefail
bin="$1"
coproc SERVER { exec "$bin" --listen 127.0.0.1:0 --ephemeral 2>/dev/null; }
read -r line <&"${SERVER[0]}"
[[ "$line" == "connector-mock listening on http://"* ]] || { echo "unexpected: $line" >&2; exit 1; }
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
