#!/usr/bin/env bash
# Contract test: schemathesis (PyPI) generates requests from the server's own OpenAPI
# document and checks every answer against it: no 5xx, status codes, content types,
# headers and bodies as documented. Loopback only; bounded by --max-examples.
# Usage: bash tests/contract/run.sh [path/to/connector-mock]   (default: target/debug)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:-target/debug/connector-mock}")"
venv="${CONTRACT_VENV:-$PWD/tests/contract/.venv}"
[[ -x "$bin" ]] || { echo "build the server first: cargo build --locked" >&2; exit 1; }

if [[ ! -x "$venv/bin/schemathesis" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/contract/requirements.txt
fi

work="$(mktemp -d)"
coproc SERVER { cd "$work" && exec env RUST_LOG=warn CONNECTOR_MOCK_AUTH_STATIC_TOKENS=contract-token \
  "$bin" --listen 127.0.0.1:0 --ephemeral 2>"$work/server.log"; }
server_pid=$SERVER_PID
exec {server_out}<&"${SERVER[0]}"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
if ! read -r line <&"$server_out"; then
  echo "the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
base="${line#connector-mock listening on }"
echo "contract test against $base"

# positive_data_acceptance is left out: a schema-valid body can still be refused by
# Logto's rules (unknown factory, one instance only, ...), which a schema cannot express.
# One worker: schemathesis' coverage phase is not thread-safe with several.
status=0
"$venv/bin/schemathesis" run "$base/api/.well-known/management.openapi.json" \
  --checks all --exclude-checks positive_data_acceptance \
  -H "Authorization: Bearer contract-token" \
  --max-examples "${CONTRACT_MAX_EXAMPLES:-50}" --workers 1 --seed 1 \
  --suppress-health-check all | tee "$work/report.txt" || status=$?
if grep -q "panicked" "$work/server.log"; then
  echo "the server panicked during the contract test:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
# A plain closing line: generated cases that passed, and the failures schemathesis found.
passed="$(grep -oE '[0-9]+ generated, [0-9]+ passed' "$work/report.txt" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)"
failed="$(grep -oE '[0-9]+ unique failures' "$work/report.txt" | grep -oE '^[0-9]+' || true)"
if [[ "$status" -ne 0 && -z "$failed" ]]; then failed=1; fi
echo "contract: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
