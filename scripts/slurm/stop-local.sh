#!/usr/bin/env bash
# Stops the cluster start-local.sh DIR started: exactly the pids it recorded in DIR/pids,
# slurmd first, TERM then KILL after 5 s. Never by name: another cluster may run beside it.
set -uo pipefail
DIR=${1:?usage: stop-local.sh DIR}
[ -f "$DIR/pids" ] || { echo "stop-local: no $DIR/pids: nothing started there" >&2; exit 0; }
pids=$(tac "$DIR/pids" | awk '{print $2}')
for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
for _ in $(seq 50); do
  alive=""
  for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
  [ -z "$alive" ] && break
  sleep 0.1
done
for p in ${alive:-}; do kill -KILL "$p" 2>/dev/null || true; done
rm -f "$DIR/pids"
