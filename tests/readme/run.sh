#!/usr/bin/env bash
# Runs the README's shell and Node examples ("Using connector-mock in your tests") verbatim,
# so they stay true. The Rust example runs as a doc-test (`cargo test`).
# Usage: bash tests/readme/run.sh   (from anywhere; needs tests/sdk/node_modules: npm ci there)
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work" tests/sdk/readme-example.mjs
}
trap cleanup EXIT

# The first ```LANG block after the line that starts with MARKER.
extract() {
  awk -v marker="$1" -v fence="\`\`\`$2" '
    index($0, marker) == 1 { armed = 1; next }
    armed && $0 == fence { inside = 1; next }
    inside && $0 == "```" { exit }
    inside { print }
  ' README.md
}

extract '**Shell or CI**' sh >"$work/example.sh"
extract '**Node**' js >tests/sdk/readme-example.mjs
for file in "$work/example.sh" tests/sdk/readme-example.mjs; do
  [ -s "$file" ] || { echo "README example missing: $file" >&2; exit 1; }
done

echo "== README shell example"
bash "$work/example.sh"

echo "== README Node example"
cargo build --release --quiet
exec 3< <(exec env RUST_LOG=warn ./target/release/connector-mock --listen 127.0.0.1:0 --ephemeral)
server_pid=$!
read -r first_line <&3
BASE="${first_line#connector-mock listening on }" node tests/sdk/readme-example.mjs | tee "$work/node.txt"
grep -q '^after reset 0$' "$work/node.txt"
echo "README examples passed"
