#!/usr/bin/env bash
# Main-text extraction benchmark: watcher's extractor against the well-known ones, on the dev set.
#
#   benchmarks/extraction.sh [ANCHOR_VENV]
#
# Runs ../shared/bench/extract_eval.py (one pinned core, CPU time) on ../shared/data/extraction/dev
# for watcher and for the selectolax body-text baseline, whose speed calibrates this machine against
# the one ../shared/bench/ANCHORS.md was measured on. Given a venv holding
# ../shared/bench/requirements-anchors.txt (made apart from the project's, e.g.
# python3 -m venv /tmp/anchors && /tmp/anchors/bin/pip install -r ../shared/bench/requirements-anchors.txt),
# it also runs readability-lxml, trafilatura and resiliparse on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
evaluate=$shared/bench/extract_eval.py
data=$shared/data/extraction/dev
if [ ! -f "$evaluate" ] || [ ! -d "$data" ]; then
  echo "needs $evaluate and $data (the shared/ folder beside the repository)" >&2
  exit 2
fi
python=${PYTHON:-.venv/bin/python}
PYTHONPATH=. "$python" "$evaluate" "$data" -e watcher.extract:extract_main_text -e extractors:selectolax_naive
anchors=${1:-${ANCHOR_VENV:-}}
if [ -n "$anchors" ] && [ -x "$anchors/bin/python" ]; then
  "$anchors/bin/python" "$evaluate" "$data" \
    -e extractors:readability_lxml -e extractors:trafilatura_default -e extractors:resiliparse_main
fi
