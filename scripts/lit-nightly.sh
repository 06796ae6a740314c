#!/usr/bin/env bash
# Nightly ingest wrapper for cron and systemd.
#
#   LIT_SOURCE   folder that receives new papers            (required)
#   LIT_GRAPH    graph target: folder or bolt:// URI          (default: /var/lib/lit/graph)
#   LIT_VENV     virtualenv with lit installed                (default: /opt/lit/.venv)
#   LIT_LOG_DIR  where per-run logs go                         (default: /var/log/lit)
#   NEO4J_USER / NEO4J_PASSWORD for a Bolt target (never put the password in LIT_GRAPH).
#
# Exit codes an operator alerts on: 0 ok or nothing to do; 3 some documents failed (listed
# in the log); 75 another ingest still runs (no alert needed, unless it repeats); anything
# else: the ingest itself failed. The last line of each log is the JSON summary.
set -uo pipefail

: "${LIT_SOURCE:?set LIT_SOURCE to the folder of new papers}"
LIT_GRAPH="${LIT_GRAPH:-/var/lib/lit/graph}"
LIT_VENV="${LIT_VENV:-/opt/lit/.venv}"
LIT_LOG_DIR="${LIT_LOG_DIR:-/var/log/lit}"

mkdir -p "$LIT_LOG_DIR"
# the pid keeps two overlapping runs (the second exits 75) from sharing one log file
log="$LIT_LOG_DIR/ingest-$(date -u +%Y%m%dT%H%M%SZ)-$$.log"

"$LIT_VENV/bin/lit" ingest "$LIT_SOURCE" --graph "$LIT_GRAPH" "$@" >"$log.summary" 2>"$log"
code=$?
cat "$log.summary" >>"$log" && rm -f "$log.summary"
tail -n 1 "$log"                       # the summary line, for cron mail / journald
ln -sfn "$log" "$LIT_LOG_DIR/ingest-latest.log"
exit "$code"
