"""Validates an export of `spie offre exporter` with data·inclusion's own schema package.

Not run by `cargo test` (it needs Python and the package); run it by hand:

    python3 -m venv venv-di && venv-di/bin/pip install data-inclusion-schema
    spie offre exporter --sortie publication.json
    venv-di/bin/python tests/valider_data_inclusion.py publication.json
    spie offre exporter --format-sortie data-inclusion-csv --sortie publication
    venv-di/bin/python tests/valider_data_inclusion.py publication/
    spie offre exporter --format-sortie data-inclusion-xlsx --sortie publication.xlsx
    venv-di/bin/python tests/valider_data_inclusion.py publication.xlsx   # needs openpyxl

Each record is validated by the v1 pydantic models (warnings included), and every
service's `structure_id` must be the id of an exported structure. Prints N/N valid per
kind and the first errors; exits 1 if any record is invalid.
"""

import csv
import json
import sys
from pathlib import Path

import pydantic
from data_inclusion.schema.v1 import Service, Structure

# Fields that hold a list: one CSV or spreadsheet cell of comma-separated codes.
LISTES = {
    name
    for model in (Service, Structure)
    for name, field in model.model_fields.items()
    if any(t in str(field.annotation) for t in ("list[", "set["))
}


def depuis_table(lignes):
    """A row of a CSV or a sheet as a record: empty cells are null, lists are split."""
    records = []
    for ligne in lignes:
        r = {}
        for cle, valeur in ligne.items():
            if valeur is None or valeur == "":
                r[cle] = None
            elif cle in LISTES:
                r[cle] = [v for v in str(valeur).split(",") if v]
            else:
                r[cle] = valeur
        records.append(r)
    return records


def lire(chemin: Path):
    if chemin.is_dir():
        tables = {}
        for nom in ("structures", "services"):
            with open(chemin / f"{nom}.csv", newline="", encoding="utf-8") as f:
                tables[nom] = depuis_table(csv.DictReader(f))
        return tables["structures"], tables["services"]
    if chemin.suffix == ".xlsx":
        import openpyxl

        classeur = openpyxl.load_workbook(chemin, read_only=True)
        tables = {}
        for feuille in ("Structures", "Services"):
            lignes = list(classeur[feuille].iter_rows(values_only=True))
            entete, corps = lignes[0], lignes[1:]
            tables[feuille] = depuis_table(dict(zip(entete, l)) for l in corps)
        return tables["Structures"], tables["Services"]
    document = json.loads(chemin.read_text(encoding="utf-8"))
    return document["structures"], document["services"]


def valider(modele, records, contexte):
    erreurs = []
    for r in records:
        try:
            modele.model_validate(r, context=contexte)
        except pydantic.ValidationError as e:
            erreurs.append((r.get("id"), e))
    return erreurs


def main():
    chemin = Path(sys.argv[1])
    structures, services = lire(chemin)
    # Warnings count as errors: the export must be clean, not merely accepted.
    contexte = {"ignore_warnings": False}
    ok = True
    ids = {s["id"] for s in structures}
    for nom, modele, records in (
        ("structures", Structure, structures),
        ("services", Service, services),
    ):
        erreurs = valider(modele, records, contexte)
        if nom == "services":
            orphelins = [s["id"] for s in services if s.get("structure_id") not in ids]
            for o in orphelins[:5]:
                print(f"  service {o} : structure_id absent des structures exportées")
            ok &= not orphelins
        print(f"{nom} : {len(records) - len(erreurs)}/{len(records)} valides")
        for ident, e in erreurs[:5]:
            print(f"  {ident} : {e}")
        ok &= not erreurs
    doublons = len(services) - len({s["id"] for s in services})
    if doublons or len(ids) != len(structures):
        print("identifiants en double")
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
