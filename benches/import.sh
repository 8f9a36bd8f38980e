#!/usr/bin/env bash
# Import benchmark: `spie offre importer` of generated CSV files against SQLite's own
# `.import` of the same files, with peak memory. Usage: benches/import.sh [ROWS...]
# (default 100000 1000000). Needs sqlite3 and python3; prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
SPIE="$PWD/target/release/spie"
TRAVAIL=$(mktemp -d)
trap 'rm -rf "$TRAVAIL"' EXIT
export SPIE_DATE=2026-11-26 SPIE_AGENT=bench
"$SPIE" --base "$TRAVAIL/base.sqlite" base init --structure Banc -q > /dev/null

generer() { # ROWS FILE: synthetic offers, UTF-8, ';'
    python3 - "$1" "$2" <<'PY'
import csv, sys, random
random.seed(1)
rows, chemin = int(sys.argv[1]), sys.argv[2]
themes = ["mobilite--preparer-un-permis", "numerique--acceder-a-des-services-en-ligne", "se-former--trouver-sa-formation",
          "sante--acces-aux-soins", "logement-hebergement--louer-un-logement", "famille--garde-denfants"]
communes = ["55545", "55029", "55122", "55463", "55291", "55181", "55502"]
with open(chemin, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(["id", "nom", "description", "thematiques", "code_insee", "telephone", "courriel", "date_maj", "publics", "modes_accueil", "frais", "zone_eligibilite"])
    for i in range(rows):
        w.writerow([f"B{i}", f"Offre numéro {i}", "Description d'une offre d'accompagnement générée pour la mesure de l'import.",
                    random.choice(themes), random.choice(communes), "03 29 00 00 00", f"offre{i}@example.org", "2026-10-01",
                    "tous-publics", "en-presentiel", "gratuit", "55"])
PY
}

mesure() { # COMMAND...: prints "seconds peak_kb"
    /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1
}

printf "%-10s %-12s %-12s %-8s %-14s\n" "lignes" "spie (s)" "sqlite3 (s)" "ratio" "mémoire spie (Mo)"
for n in "${@:-100000 1000000}"; do
    for lignes in $n; do
        fichier="$TRAVAIL/offres-$lignes.csv"
        generer "$lignes" "$fichier"
        rm -f "$TRAVAIL/base.sqlite-"* 2>/dev/null || true
        read -r t_spie m_spie < <(mesure "$SPIE" --base "$TRAVAIL/base.sqlite" -q offre importer "$fichier" --source "banc-$lignes" --appliquer --format json)
        rm -f "$TRAVAIL/ref.sqlite"
        read -r t_sqlite _ < <(mesure sqlite3 "$TRAVAIL/ref.sqlite" -cmd ".mode csv" -cmd ".separator ;" ".import $fichier offres")
        printf "%-10s %-12s %-12s %-8s %-14s\n" "$lignes" "$t_spie" "$t_sqlite" \
            "$(python3 -c "print(f'{$t_spie / max($t_sqlite, 0.01):.1f}')")" "$(( m_spie / 1024 ))"
    done
done
