#!/usr/bin/env bash
# Whole-process benchmarks of spie against the targets of docs/performance.md, printed as one table.
#
#   benches/run.sh              # everything (about 6 minutes on 2 cores)
#   RUNS=3 benches/run.sh       # fewer runs per measure (default 7; 3 for the long ones)
#   RAPIDE=1 benches/run.sh     # a 20,000-dossier base instead of 80,000, no 1,000,000-row import
#   SEULEMENT=chiffrement benches/run.sh   # encrypted against plain only (an 8,000-dossier base)
#   SEULEMENT=echange benches/run.sh       # sending and receiving parcours between two bases only
#   SEULEMENT=journee benches/run.sh       # the agent's day only: agenda, caseload, to-do list
#   SEULEMENT=export benches/run.sh        # offre exporter (JSON, CSV, .xlsx) of 10,000 and 100,000 offers only
#   SEULEMENT=territoire benches/run.sh    # consolidating 10 and 40 packs of 10,000 rows only
#
# Builds in release, then benches/banc.py generates the inputs in a temporary folder (demo
# bases, synthetic partner files), runs each command several times and prints median,
# spread and peak memory, with the ratios of this same run. Needs sqlite3 and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
for outil in sqlite3 python3; do
    command -v "$outil" > /dev/null || { echo "il manque $outil" >&2; exit 1; }
done
cargo build --release --quiet
exec python3 benches/banc.py "$PWD/target/release/spie"
