#!/bin/sh
# The image's entrypoint. A worker (RPC_URL set) indexes into DATABASE_SCHEMA; the read API (no RPC_URL) serves it.
# INDEXER_COMMAND=start|serve overrides. Ponder writes ponder-env.d.ts, generated/ and .ponder/ into its root, and
# the pods' root filesystem is read-only, so the app runs from a copy in /tmp.
set -eu
app="${APP_DIR:-/app}"
command="${INDEXER_COMMAND:-}"
if [ -z "$command" ]; then
  if [ -n "${RPC_URL:-}" ]; then command=start; else command=serve; fi
fi
root="${TMPDIR:-/tmp}/indexer"
rm -rf "$root"
mkdir -p "$root"
cp -R "$app/indexer/." "$root/"
ln -s "$app/node_modules" "$root/node_modules"
exec node "$app/node_modules/ponder/dist/esm/bin/ponder.js" --root "$root" "$command" --hostname 0.0.0.0 --port "${PORT:-42069}"
