"""Whole-process benchmarks of spie (run through benches/run.sh, which builds it first).

Each measure starts the real binary several times and keeps, per run, the wall time
(perf_counter around the process) and the peak memory of that process (os.wait4). The
table gives the median, the spread (min-max) and the largest peak; the ratios compare
figures of this same run, never fixed thresholds. Standard library only.
"""

import csv
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

SPIE = sys.argv[1]
RUNS = int(os.environ.get("RUNS", "7"))
LOURDS = int(os.environ.get("LOURDS", "3"))
RAPIDE = bool(os.environ.get("RAPIDE"))
PETITE, GRANDE = 8000, (20000 if RAPIDE else 80000)
LIGNES = [100_000] if RAPIDE else [100_000, 1_000_000]
ENV = dict(
    os.environ,
    SPIE_DATE="2026-11-26",
    SPIE_AGENT="demo",
    SPIE_CLE_PSEUDO="cle-de-banc-d-essai-pas-un-secret-0123456789ab",
)


def une_fois(commande, env=None):
    """Runs a command; returns (seconds, peak KiB). Fails loudly on a non-zero exit."""
    with tempfile.TemporaryFile() as erreurs:
        debut = time.perf_counter()
        proc = subprocess.Popen(commande, env=env or ENV, stdout=subprocess.DEVNULL, stderr=erreurs)
        _, statut, usage = os.wait4(proc.pid, 0)
        duree = time.perf_counter() - debut
        proc.returncode = os.waitstatus_to_exitcode(statut)
        if proc.returncode != 0:
            erreurs.seek(0)
            sys.exit(f"échec ({proc.returncode}) de {' '.join(commande)} :\n{erreurs.read().decode(errors='replace')}")
    return duree, usage.ru_maxrss


RESULTATS = []  # (measure, size, [seconds], peak KiB)


def mesurer(nom, taille, commandes, preparer=None, env=None):
    """Runs each command of `commandes` (one per run), `preparer()` before each, untimed."""
    temps, pic = [], 0
    for commande in commandes:
        if preparer:
            preparer()
        duree, kb = une_fois(commande, env)
        temps.append(duree)
        pic = max(pic, kb)
    RESULTATS.append((nom, taille, temps, pic))
    return statistics.median(temps)


def spie(base, *args):
    return [SPIE, "--base", base, "-q", "--format", "json", *args]


def generer_offres(lignes, chemin):
    """A synthetic partner file (UTF-8, ';'), the same for every run of the bench."""
    hasard = random.Random(1)
    themes = [
        "mobilite--preparer-un-permis",
        "numerique--acceder-a-des-services-en-ligne",
        "se-former--trouver-sa-formation",
        "sante--acces-aux-soins",
        "logement-hebergement--louer-un-logement",
        "famille--garde-denfants",
    ]
    communes = ["55545", "55029", "55122", "55463", "55291", "55181", "55502"]
    with open(chemin, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["id", "nom", "description", "thematiques", "code_insee", "telephone", "courriel",
                    "date_maj", "publics", "modes_accueil", "frais", "zone_eligibilite"])
        for i in range(lignes):
            w.writerow([f"B{i}", f"Offre numéro {i}",
                        "Description d'une offre d'accompagnement générée pour la mesure de l'import.",
                        hasard.choice(themes), hasard.choice(communes), "03 29 00 00 00", f"offre{i}@example.org",
                        "2026-10-01", "tous-publics", "en-presentiel", "gratuit", "55"])


# A partner's list as partners send it: French headers, no identifier, commune name and
# INSEE code, two thematiques, a 150-character description (eleven columns).
PARTENAIRE = ["Nom du service", "Structure", "Description", "Thème(s)", "Ville", "Code INSEE", "Code postal",
              "Téléphone", "Mise à jour", "Public(s) visé(s)", "Coût"]


def lignes_partenaire(lignes):
    hasard = random.Random(2)
    themes = ["mobilite--preparer-un-permis", "numerique--acceder-a-des-services-en-ligne",
              "se-former--trouver-sa-formation", "sante--acces-aux-soins",
              "logement-hebergement--louer-un-logement", "famille--garde-denfants"]
    communes = [("Verdun", "55545", "55100"), ("Bar-le-Duc", "55029", "55000"), ("Commercy", "55122", "55200"),
                ("Saint-Mihiel", "55463", "55300"), ("Ligny-en-Barrois", "55291", "55500"),
                ("Étain", "55181", "55400"), ("Stenay", "55502", "55700")]
    structures = ["CCAS de Verdun", "Mission locale du Nord meusien", "Association Tremplin", "Maison de l'emploi"]
    for i in range(lignes):
        nom, insee, cp = hasard.choice(communes)
        description = (f"Accompagnement n° {i} proposé aux habitants : entretien individuel, ateliers collectifs "
                       "et suivi personnalisé jusqu'à l'accès à l'emploi ou à la formation.")[:150].ljust(150, ".")
        yield [f"Offre numéro {i}", hasard.choice(structures), description, ", ".join(hasard.sample(themes, 2)),
               nom, insee, cp, "03 29 86 12 34", "2026-10-01", "Tous publics", "Gratuit"]


def generer_partenaire_csv(lignes, chemin):
    with open(chemin, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(PARTENAIRE)
        w.writerows(lignes_partenaire(lignes))


def generer_partenaire_xlsx(lignes, chemin):
    """The same rows as a workbook, as a spreadsheet writes it (shared strings, dates as
    serial numbers with a date style), with the standard library only."""
    import zipfile
    from xml.sax.saxutils import escape

    def colonne(i):
        return chr(ord("A") + i)

    chaines, index = [], {}

    def chaine(texte):
        if texte not in index:
            index[texte] = len(chaines)
            chaines.append(texte)
        return index[texte]

    serie_du_1er_octobre_2026 = 46296
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '</Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Offres" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '</Relationships>'))
        z.writestr("xl/styles.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '</styleSheet>'))
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for r, ligne in enumerate([PARTENAIRE, *lignes_partenaire(lignes)], start=1):
                cellules = []
                for i, valeur in enumerate(ligne):
                    ref = f"{colonne(i)}{r}"
                    if r > 1 and i == 8:
                        cellules.append(f'<c r="{ref}" s="1"><v>{serie_du_1er_octobre_2026}</v></c>')
                    elif r > 1 and i == 6:
                        cellules.append(f'<c r="{ref}"><v>{valeur}</v></c>')
                    else:
                        cellules.append(f'<c r="{ref}" t="s"><v>{chaine(valeur)}</v></c>')
                f.write(f'<row r="{r}">{"".join(cellules)}</row>'.encode())
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    f'count="{len(chaines)}" uniqueCount="{len(chaines)}">'.encode())
            for texte in chaines:
                f.write(f"<si><t>{escape(texte)}</t></si>".encode())
            f.write(b"</sst>")


def dans_un_fils(f, *args):
    """Runs f in a child process: the workbook's strings never grow this process, whose
    size every measured command would otherwise inherit in its peak memory (a forked
    child counts its parent's pages until it executes the command)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            f(*args)
            code = 0
        finally:
            os._exit(code)
    _, statut = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(statut) != 0:
        sys.exit(f"échec de {f.__name__}")


def supprimer_base(chemin):
    for suffixe in ("", "-wal", "-shm"):
        if os.path.exists(chemin + suffixe):
            os.remove(chemin + suffixe)


def echantillon(base, n):
    """n dossiers with an open parcours and a diagnostic, spread over the base, with the
    first letters of their name (for `parcours chercher`), among those the agent at work
    may read: those of its structure."""
    conn = sqlite3.connect(base)
    lignes = conn.execute(
        """SELECT pa.dossier, substr(pe.nom, 1, 4) FROM parcours pa JOIN personne pe ON pe.dossier = pa.dossier
           WHERE pa.sortie IS NULL AND EXISTS (SELECT 1 FROM diagnostic d WHERE d.parcours_id = pa.id)
             AND pa.structure_id = (SELECT structure_id FROM agent WHERE identifiant = ?)
           ORDER BY pa.dossier""",
        (ENV["SPIE_AGENT"],),
    ).fetchall()
    conn.close()
    return [lignes[(i + 1) * len(lignes) // (n + 1)] for i in range(n)]


def bases(travail):
    print("Bases de démonstration…", file=sys.stderr)
    chemins = {}
    for n in (PETITE, GRANDE):
        chemin = os.path.join(travail, f"demo-{n}.sqlite")
        mesurer("demo --personnes N", n, [spie(chemin, "demo", "--personnes", str(n))] * LOURDS,
                lambda c=chemin: supprimer_base(c))
        chemins[n] = chemin
    return chemins


def commandes(chemins, travail):
    print("Commandes d'un dossier, recherches et statistiques…", file=sys.stderr)
    for n, base in chemins.items():
        dossiers = echantillon(base, RUNS)
        mesurer("démarrage (spie --version)", n, [[SPIE, "--version"]] * RUNS)
        mesurer("parcours voir N", n, [spie(base, "parcours", "voir", str(d)) for d, _ in dossiers])
        mesurer("parcours chercher NOM", n, [spie(base, "parcours", "chercher", nom) for _, nom in dossiers])
        mesurer("diagnostic voir N", n, [spie(base, "diagnostic", "voir", str(d)) for d, _ in dossiers])
        mesurer("offre proposer N", n, [spie(base, "offre", "proposer", str(d)) for d, _ in dossiers])
        mesurer("offre chercher --commune --rayon", n,
                [spie(base, "offre", "chercher", "--commune", "Verdun", "--rayon", "20")] * RUNS)
        mesurer("stats mensuel", n, [spie(base, "stats", "mensuel")] * RUNS)
        sortie = os.path.join(travail, f"export-{n}")
        mesurer("stats export", n, [spie(base, "stats", "export", "--mois", "2026-10", "--sortie", sortie)] * LOURDS)


# What spie writes for the generated file, done by sqlite3 itself from a staging table:
# the offers and their thematiques, in one transaction (no checking).
MEMES_ECRITURES = """
BEGIN;
INSERT INTO source (nom) VALUES ('banc');
INSERT INTO offre (source_id, identifiant, nom, description, date_maj, thematiques, commune, telephone, courriel,
                   publics, modes_accueil, frais, zone_eligibilite, score_qualite, importee_le)
  SELECT 1, id, nom, description, date_maj, thematiques, code_insee, telephone, courriel, publics, modes_accueil,
         frais, zone_eligibilite, 0.9, '2026-11-26' FROM temp.brut;
INSERT INTO thematique (code) SELECT DISTINCT thematiques FROM offre;
INSERT INTO offre_thematique (thematique_id, offre_id)
  SELECT th.id, o.id FROM offre o JOIN thematique th ON th.code = o.thematiques;
COMMIT;
"""


def imports(travail):
    print("Imports de fichiers générés…", file=sys.stderr)
    base, ref = os.path.join(travail, "import.sqlite"), os.path.join(travail, "ref.sqlite")

    def base_neuve():
        supprimer_base(base)
        une_fois([SPIE, "--base", base, "-q", "base", "init", "--essai", "--structure", "Banc"])

    for lignes in LIGNES:
        fichier = os.path.join(travail, f"offres-{lignes}.csv")
        generer_offres(lignes, fichier)
        importer = spie(base, "offre", "importer", fichier, "--source", "banc", "--appliquer")
        mesurer("offre importer (spie)", lignes, [importer] * LOURDS, base_neuve)
        # The monthly case: the same partner list again, every offer known and unchanged.
        mesurer("offre importer, même fichier", lignes, [importer] * LOURDS)
        # Words are matched while reading the catalogue (no full-text index): its cost.
        mesurer("offre chercher MOTS (catalogue)", lignes,
                [spie(base, "offre", "chercher", "numéro", str(4242 + i)) for i in range(RUNS)])
        brut = ["-cmd", ".mode csv", "-cmd", ".separator ;", f".import {fichier} offres"]
        mesurer("sqlite3 .import (fichier)", lignes, [["sqlite3", ref, *brut]] * LOURDS, lambda: supprimer_base(ref))
        mesurer("sqlite3 .import (:memory:)", lignes, [["sqlite3", ":memory:", *brut]] * LOURDS)
        memes = ["-cmd", ".mode csv", "-cmd", ".separator ;", "-cmd", f".import --schema temp {fichier} brut"]
        mesurer("sqlite3, mêmes écritures que spie", lignes, [["sqlite3", base, *memes, MEMES_ECRITURES]] * LOURDS,
                base_neuve)
        os.remove(fichier)
        # A partner's list as it comes, as CSV and as a workbook: the same rows.
        csv_partenaire = os.path.join(travail, f"partenaire-{lignes}.csv")
        xlsx_partenaire = os.path.join(travail, f"partenaire-{lignes}.xlsx")
        dans_un_fils(generer_partenaire_csv, lignes, csv_partenaire)
        dans_un_fils(generer_partenaire_xlsx, lignes, xlsx_partenaire)
        for nom, fichier in (("offre importer, CSV de partenaire", csv_partenaire),
                             ("offre importer, même liste en .xlsx", xlsx_partenaire)):
            mesurer(nom, lignes, [spie(base, "offre", "importer", fichier, "--source", "p", "--appliquer")] * LOURDS,
                    base_neuve)
        brut = ["-cmd", ".mode csv", "-cmd", ".separator ;", f".import {csv_partenaire} offres"]
        mesurer("sqlite3 .import (CSV de partenaire)", lignes, [["sqlite3", ref, *brut]] * LOURDS,
                lambda: supprimer_base(ref))
        os.remove(csv_partenaire)
        os.remove(xlsx_partenaire)


EXPORTEES = [10_000, 100_000]


def exports(travail):
    """`offre exporter` in its three formats, on catalogues of 10,000 and 100,000 partner
    offers: the peak memory must not grow with the catalogue."""
    print("Exports data·inclusion…", file=sys.stderr)
    base = os.path.join(travail, "export.sqlite")
    for lignes in EXPORTEES:
        supprimer_base(base)
        une_fois([SPIE, "--base", base, "-q", "base", "init", "--essai", "--structure", "Banc"])
        fichier = os.path.join(travail, f"partenaire-{lignes}.csv")
        dans_un_fils(generer_partenaire_csv, lignes, fichier)
        une_fois(spie(base, "offre", "importer", fichier, "--source", "p", "--appliquer"))
        os.remove(fichier)
        sortie = os.path.join(travail, "sortie")

        def vider():
            shutil.rmtree(sortie, ignore_errors=True)
            os.mkdir(sortie)

        for nom, format_sortie, chemin in (("json", "data-inclusion-json", "offres.json"),
                                           ("csv", "data-inclusion-csv", "csv"),
                                           ("xlsx", "data-inclusion-xlsx", "offres.xlsx")):
            commande = spie(base, "offre", "exporter", "--format-sortie", format_sortie,
                            "--sortie", os.path.join(sortie, chemin))
            mesurer(f"offre exporter ({nom})", lignes, [commande] * LOURDS, vider)


def rapports_export(mesures):
    for nom in ("json", "csv", "xlsx"):
        pics = [mesures[(f"offre exporter ({nom})", n)][1] for n in EXPORTEES]
        etiquette = "mémoire de l'export " + nom
        print(f"  {etiquette:<34} {EXPORTEES[-1]} / {EXPORTEES[0]} offres : "
              f"{pics[-1] / pics[0]:.2f} (objectif : plate)")


PENDANT = 200_000 if RAPIDE else 2_000_000


def pendant_un_import(base, travail):
    """A caseworker's read and note while a long import runs in the same base: each
    command timed, one every half-second, from the import's first step to its end."""
    print(f"Lecture et note pendant l'import de {PENDANT} lignes…", file=sys.stderr)
    copie = os.path.join(travail, "pendant.sqlite")
    shutil.copyfile(base, copie)
    dossier = str(echantillon(copie, 1)[0][0])
    # A caseworker (référent) of the structure that holds it: a note is theirs to write.
    conn = sqlite3.connect(copie)
    conseiller = conn.execute(
        "SELECT identifiant FROM agent WHERE role = 'referent' AND structure_id = "
        "(SELECT structure_id FROM agent WHERE identifiant = ?) ORDER BY id LIMIT 1", (ENV["SPIE_AGENT"],)
    ).fetchone()[0]
    conn.close()
    fichier = os.path.join(travail, f"offres-{PENDANT}.csv")
    generer_offres(PENDANT, fichier)
    debut = time.perf_counter()
    importer = subprocess.Popen(spie(copie, "offre", "importer", fichier, "--source", "pendant", "--appliquer"),
                                env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    conn = sqlite3.connect(copie)
    while importer.poll() is None and not conn.execute("SELECT count(*) FROM import_en_cours").fetchone()[0]:
        time.sleep(0.01)
    conn.close()
    voir, note = [], []
    while importer.poll() is None:
        comme = dict(ENV, SPIE_AGENT=conseiller)
        voir.append(une_fois(spie(copie, "parcours", "voir", dossier), comme))
        note.append(une_fois(spie(copie, "parcours", "note", dossier, "Appel pendant l'import."), comme))
        time.sleep(0.5)
    duree_import = time.perf_counter() - debut
    if importer.returncode != 0:
        sys.exit(f"échec ({importer.returncode}) de l'import pendant les lectures")
    RESULTATS.append((f"offre importer ({PENDANT} lignes)", PENDANT, [duree_import], 0))
    for nom, mesures in (("parcours voir pendant l'import", voir), ("parcours note pendant l'import", note)):
        if mesures:
            RESULTATS.append((nom, PENDANT, [t for t, _ in mesures], max(kb for _, kb in mesures)))
    os.remove(fichier)
    supprimer_base(copie)


# Encrypted bases: a real base refuses SPIE_DATE, and its agent is the work session's,
# kept in a runtime folder of the bench's own.
PHRASE = "phrase de banc d'essai, pas un secret"
COMMANDES_DOSSIER = ("parcours voir N", "diagnostic voir N", "parcours chercher NOM", "offre proposer N")


def env_chiffre(travail):
    sessions = os.path.join(travail, "sessions")
    os.makedirs(sessions, mode=0o700, exist_ok=True)
    env = dict(ENV, XDG_RUNTIME_DIR=sessions)
    del env["SPIE_DATE"]
    return env


def fichier_phrase(travail):
    chemin = os.path.join(travail, "phrase")
    with open(os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(PHRASE + "\n")
    return chemin


def chiffrement(base_demo, travail):
    """The same commands on the demo base and on an encrypted copy of it; the import into
    a new plain base and into a new encrypted one; the connexion itself."""
    print("Base chiffrée contre base en clair…", file=sys.stderr)
    env, phrase = env_chiffre(travail), fichier_phrase(travail)
    chiffree = os.path.join(travail, "chiffree.sqlite")
    shutil.copy(base_demo, chiffree)
    conn = sqlite3.connect(chiffree)
    conn.execute("DELETE FROM meta WHERE cle IN ('demo', 'essai')")
    conn.commit()
    conn.close()
    une_fois(spie(chiffree, "base", "chiffrer", "--agent", "demo", "--phrase-fichier", phrase), env)
    connexion = spie(chiffree, "connexion", "--agent", "demo", "--phrase-fichier", phrase)
    mesurer("connexion", PETITE, [connexion] * RUNS, env=env)
    dossiers = echantillon(base_demo, RUNS)
    for nom in COMMANDES_DOSSIER:
        verbe = nom.split()[:2]
        args = [[*verbe, n if nom.endswith("NOM") else str(d)] for d, n in dossiers]
        for base, etiquette, env_base in ((base_demo, "en clair", None), (chiffree, "chiffrée", env)):
            mesurer(f"{nom} ({etiquette})", PETITE, [spie(base, *a) for a in args], env=env_base)
    fichier = os.path.join(travail, "offres-chiffrement.csv")
    generer_offres(LIGNES[0], fichier)
    for etiquette, base, init, env_base in (
        ("en clair", os.path.join(travail, "import-clair.sqlite"), ["base", "init", "--essai"], None),
        ("chiffrée", os.path.join(travail, "import-chiffre.sqlite"), ["base", "init", "--phrase-fichier", phrase],
         env),
    ):
        def neuve(base=base, init=init, env_base=env_base):
            supprimer_base(base)
            if os.path.exists(base + ".cles"):
                os.remove(base + ".cles")
            une_fois(spie(base, *init, "--agent", "demo", "--structure", "Banc"), env_base)
            if env_base:
                une_fois(spie(base, "connexion", "--agent", "demo", "--phrase-fichier", phrase), env_base)

        mesurer(f"offre importer ({etiquette})", LIGNES[0],
                [spie(base, "offre", "importer", fichier, "--source", "banc", "--appliquer")] * LOURDS, neuve,
                env=env_base)
    os.remove(fichier)


def rapports_chiffrement(med):
    print()
    print("Base chiffrée contre base en clair (objectifs : docs/performance.md)")
    for nom in COMMANDES_DOSSIER:
        r = med(f"{nom} (chiffrée)", PETITE) / med(f"{nom} (en clair)", PETITE)
        print(f"  {nom:<34} {PETITE} dossiers : {r:.2f} × en clair (objectif ≤ 1,15)")
    r = med("offre importer (chiffrée)", LIGNES[0]) / med("offre importer (en clair)", LIGNES[0])
    print(f"  {'offre importer':<34} {LIGNES[0]} lignes : {r:.2f} × en clair (objectif ≤ 1,5)")
    print(f"  {'connexion':<34} {duree(med('connexion', PETITE))} (objectif < 1 s)")


ECHANGE_NOTES, ECHANGE_PARCOURS = 500, 5000


def sortie(commande):
    return subprocess.run(commande, env=ENV, capture_output=True, text=True, check=True).stdout.strip()


def remplir_echange(base, personnes, notes):
    """`personnes` dossiers of the base's structure, each agreeing to share, with `notes`
    journal entries: the same for every run of the bench."""
    conn = sqlite3.connect(base)
    agent = conn.execute("SELECT id FROM agent WHERE identifiant = ?", (ENV["SPIE_AGENT"],)).fetchone()[0]
    debut = conn.execute("SELECT coalesce(max(dossier), 0) FROM personne").fetchone()[0]
    for i in range(debut + 1, debut + personnes + 1):
        conn.execute(
            """INSERT INTO personne (dossier, nom, prenom, nom_norm, prenom_norm, naissance, commune, cree_le, cree_par)
               VALUES (?, ?, 'Essai', ?, 'essai', '1990-01-01', '55545', '2026-01-05', ?)""",
            (i, f"Banc{i}", f"banc{i}", agent))
        parcours = conn.execute(
            "INSERT INTO parcours (dossier, structure_id, entree) VALUES (?, 1, '2026-01-05')", (i,)).lastrowid
        conn.execute("INSERT INTO consentement (dossier, date, partage, agent_id) VALUES (?, '2026-01-05', 1, ?)",
                     (i, agent))
        conn.executemany(
            "INSERT INTO journal (parcours_id, date, type, texte, agent_id) VALUES (?, '2026-02-01', 'entretien', ?, ?)",
            [(parcours, f"Entretien de suivi n° {n} : point sur les démarches, les candidatures et la mobilité.",
              agent) for n in range(notes)])
    conn.commit()
    conn.close()
    return [str(d) for d in range(debut + 1, debut + personnes + 1)]


def echange(travail):
    """A CCAS base sends parcours to a mission locale's base, which receives them (each
    reception into a fresh copy of the receiving base)."""
    print("Échange de parcours entre deux bases…", file=sys.stderr)
    a, b = os.path.join(travail, "echange-a.sqlite"), os.path.join(travail, "echange-b.sqlite")
    for base, nom in ((a, "CCAS de Verdun"), (b, "Mission locale")):
        une_fois([SPIE, "--base", base, "base", "init", "--essai", "--structure", nom, "--agent", ENV["SPIE_AGENT"]])
    une_fois(spie(a, "structure", "ajouter", "Mission locale", "--confirmer",
                  "--cle", sortie([SPIE, "--base", b, "structure", "cle"])))
    une_fois(spie(b, "structure", "ajouter", "CCAS de Verdun", "--confirmer",
                  "--cle", sortie([SPIE, "--base", a, "structure", "cle"])))
    copie = os.path.join(travail, "echange-b-copie.sqlite")

    def nouvelle_copie():
        supprimer_base(copie)
        shutil.copy(b, copie)

    for nom, dossiers, taille in (("une personne, 500 notes", remplir_echange(a, 1, ECHANGE_NOTES), ECHANGE_NOTES),
                                  ("5 000 parcours, 10 notes chacun", remplir_echange(a, ECHANGE_PARCOURS, 10),
                                   ECHANGE_PARCOURS)):
        fichier = os.path.join(travail, "echange.spie")

        def sans_fichier(f=fichier):
            if os.path.exists(f):
                os.remove(f)

        runs = RUNS if taille == ECHANGE_NOTES else LOURDS
        envoi = spie(a, "parcours", "transmettre", *dossiers, "--vers", "Mission locale", "--sortie", fichier, "--tout")
        mesurer(f"parcours transmettre ({nom})", taille, [envoi] * runs, sans_fichier)
        mesurer(f"parcours recevoir ({nom})", taille,
                [spie(copie, "parcours", "recevoir", fichier, "--appliquer")] * runs, nouvelle_copie)
        RAPPORTS_ECHANGE.append((nom, taille))


RAPPORTS_ECHANGE = []


def rapports_echange(med):
    if not RAPPORTS_ECHANGE:
        return
    print()
    print("Échange de parcours (objectifs : docs/performance.md)")
    for nom, taille in RAPPORTS_ECHANGE:
        total = med(f"parcours transmettre ({nom})", taille) + med(f"parcours recevoir ({nom})", taille)
        objectif = "< 100 ms" if taille == ECHANGE_NOTES else "< 10 s"
        print(f"  {'transmettre + recevoir':<34} {nom} : {duree(total)} (objectif {objectif})")


# The caseload of one agent, the same in both bases: `rdv agenda` and `parcours liste
# --mes-dossiers` must cost what the caseload costs, not what the base holds.
PORTEFEUILLE = 60
AGENT_JOURNEE = "banc.journee"


def preparer_journee(base):
    """Gives the agent AGENT_JOURNEE (of the structure of the agent at work) PORTEFEUILLE
    open parcours spread over the base, then plans one appointment this week for every
    open parcours of the base with its référent: the appointment table grows with the base,
    the agent's agenda does not."""
    conn = sqlite3.connect(base)
    with conn:
        conn.execute(
            """INSERT INTO agent (identifiant, nom, structure_id, role, cree_le)
               SELECT ?, 'Banc Journée', structure_id, 'referent', '2026-11-01' FROM agent WHERE identifiant = ?""",
            (AGENT_JOURNEE, ENV["SPIE_AGENT"]),
        )
        ouverts = [d for d, _ in echantillon(base, PORTEFEUILLE)]
        for dossier in ouverts:
            (parcours,) = conn.execute("SELECT id FROM parcours WHERE dossier = ? AND sortie IS NULL", (dossier,)).fetchone()
            conn.execute("UPDATE referent SET fin = max(debut, '2026-11-20') WHERE parcours_id = ? AND fin IS NULL", (parcours,))
            conn.execute(
                """INSERT INTO referent (parcours_id, agent_id, debut)
                   SELECT ?, id, '2026-11-20' FROM agent WHERE identifiant = ?""",
                (parcours, AGENT_JOURNEE),
            )
        conn.execute(
            """INSERT INTO rdv (parcours_id, agent_id, debut, type, statut, cree_le, cree_par)
               SELECT pa.id, r.agent_id,
                      printf('2026-11-%02dT%02d:%02d', 23 + pa.id % 5, 9 + pa.id % 8, (pa.id % 4) * 15),
                      'suivi', 'prevu', '2026-11-20', r.agent_id
               FROM parcours pa JOIN referent r ON r.parcours_id = pa.id AND r.fin IS NULL
               WHERE pa.sortie IS NULL"""
        )
    conn.close()


def journee(chemins):
    print("La journée de l'agent : agenda et portefeuille…", file=sys.stderr)
    for n, base in chemins.items():
        preparer_journee(base)
        mesurer("rdv agenda --semaine", n,
                [spie(base, "--agent", AGENT_JOURNEE, "rdv", "agenda", "--semaine")] * RUNS)
        mesurer("parcours liste --mes-dossiers", n,
                [spie(base, "--agent", AGENT_JOURNEE, "parcours", "liste", "--mes-dossiers")] * RUNS)
        mesurer("parcours a-faire", n, [spie(base, "--agent", AGENT_JOURNEE, "parcours", "a-faire")] * RUNS)


def rapports_journee(med):
    print()
    print("La journée de l'agent (portefeuille de %d dossiers dans les deux bases)" % PORTEFEUILLE)
    for nom in ("rdv agenda --semaine", "parcours liste --mes-dossiers", "parcours a-faire"):
        r = med(nom, GRANDE) / med(nom, PETITE)
        # a-faire also lists the parcours of the agent's structure without référent: it
        # follows the structure, and has no ratio target.
        objectif = "" if nom == "parcours a-faire" else " (objectif ≤ 1,2)"
        print(f"  {nom:<34} {GRANDE} / {PETITE} dossiers : {r:.2f}{objectif}")


# The territory: 40 structures' packs of 10,000 rows each (a real pack's indicateurs.csv,
# synthetic territoire.csv and parcours.csv whose people overlap from one pack to the next),
# consolidated 10 then 40 at a time. The memory must stay flat: the rows are merged as read.
PACKS, LIGNES_PACK = [10, 40], 10_000


def ecrire_csv(chemin, entetes, lignes):
    with open(chemin, "w", encoding="utf-8-sig", newline="") as f:
        ecrivain = csv.writer(f, delimiter=";", lineterminator="\n")
        ecrivain.writerow(entetes)
        ecrivain.writerows(lignes)


def pack_synthetique(modele, dossier, numero, cle):
    """The pack of structure `numero`: people numero × 7,000 to + 10,000 (3,000 shared with the next)."""
    import hashlib
    os.makedirs(dossier)
    shutil.copy(os.path.join(modele, "indicateurs.csv"), dossier)
    with open(os.path.join(modele, "parcours.csv"), encoding="utf-8-sig") as f:
        lus = list(csv.reader(f, delimiter=";"))
    entetes_parcours, exemple = lus[0], lus[1]
    epcis = ["200033025", "200049187", "200066108", "200066116", "200066157", "245500327"]
    territoire, parcours = [], []
    for j in range(numero * 7000, numero * 7000 + LIGNES_PACK):
        pseudonyme = hashlib.sha256(f"personne {j}".encode()).hexdigest()
        comptes = ["file_active=1", f"orientation:{('pro', 'sociopro', 'social')[j % 3]}=1"]
        if j % 4 == 0:
            comptes += ["entrees=1", "diagnostiques_30j=1", f"delai:{j % 25}=1"]
        if j % 5 == 0:
            comptes += ["avec_referent=1", "frein:mobilite=1"]
        territoire.append([pseudonyme, epcis[j % len(epcis)], " ".join(comptes)])
        parcours.append([pseudonyme] + exemple[1:])
    territoire.sort()
    parcours.sort()
    ecrire_csv(os.path.join(dossier, "territoire.csv"), ["pseudonyme", "epci", "comptes"], territoire)
    ecrire_csv(os.path.join(dossier, "parcours.csv"), entetes_parcours, parcours)
    texte = f"spie : pack mensuel 1\nstructure : Structure {numero}\nmois : 2026-10\netat : definitif\ncle : {cle}\nseuil : 5\n"
    for nom in ("indicateurs.csv", "parcours.csv", "territoire.csv"):
        with open(os.path.join(dossier, nom), "rb") as f:
            texte += f"fichier : {hashlib.sha256(f.read()).hexdigest()} {nom}\n"
    texte += f"controle : {hashlib.sha256(texte.encode()).hexdigest()}\n"
    with open(os.path.join(dossier, "manifeste.txt"), "w", encoding="utf-8") as f:
        f.write(texte)


def territoire(travail):
    base = os.path.join(travail, "territoire-modele.sqlite")
    modele = os.path.join(travail, "pack-modele")
    une_fois(spie(base, "demo", "--personnes", "2000"))
    une_fois(spie(base, "stats", "export", "--mois", "2026-10", "--sortie", modele))
    with open(os.path.join(modele, "manifeste.txt"), encoding="utf-8") as f:
        cle = next(l.split(" : ")[1].strip() for l in f if l.startswith("cle : "))
    packs = []
    for i in range(max(PACKS)):
        packs.append(os.path.join(travail, f"pack-{i:02}"))
        pack_synthetique(modele, packs[-1], i, cle)
    for n in PACKS:
        sortie = os.path.join(travail, f"territoire-{n}")
        commande = [SPIE, "-q", "stats", "consolider", *packs[:n], "--sortie", sortie, "--territoire", "Banc"]
        mesurer("stats consolider", f"{n} packs", [commande] * LOURDS)


def rapports_territoire(med, mesures):
    if ("stats consolider", f"{PACKS[-1]} packs") not in mesures:
        return
    grand, petit = (f"{n} packs" for n in (PACKS[-1], PACKS[0]))
    print(f"  {'stats consolider':<34} {grand} de {LIGNES_PACK} lignes : "
          f"{duree(med('stats consolider', grand))} (objectif < 3 s)")
    pics = [mesures[("stats consolider", t)][1] for t in (petit, grand)]
    print(f"  {'mémoire de la consolidation':<34} {grand} / {petit} : {pics[1] / pics[0]:.2f} (objectif : plate)")


def duree(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def rapports_import(med, mesures):
    for lignes in LIGNES:
        s = med("offre importer (spie)", lignes)
        f = med("sqlite3 .import (fichier)", lignes)
        m = med("sqlite3 .import (:memory:)", lignes)
        e = med("sqlite3, mêmes écritures que spie", lignes)
        print(f"  {'offre importer':<34} {lignes} lignes : {s / f:.2f} × sqlite3 fichier, "
              f"{s / m:.2f} × sqlite3 :memory: (objectif ≤ 2 pour les deux), "
              f"{s / e:.2f} × sqlite3 faisant les mêmes écritures")
    for lignes in LIGNES:
        c = med("offre importer, CSV de partenaire", lignes)
        x = med("offre importer, même liste en .xlsx", lignes)
        f = med("sqlite3 .import (CSV de partenaire)", lignes)
        print(f"  {'CSV de partenaire':<34} {lignes} lignes : {c / f:.2f} × sqlite3 .import (objectif ≤ 2)")
        print(f"  {'même liste en .xlsx':<34} {lignes} lignes : {x / c:.2f} × le CSV (objectif ≤ 3)")
    if len(LIGNES) > 1:
        for nom, etiquette in (("offre importer (spie)", "mémoire de l'import"),
                               ("offre importer, même fichier", "… du même fichier à nouveau"),
                               ("offre importer, même liste en .xlsx", "mémoire de l'import d'un .xlsx")):
            pics = [mesures[(nom, n)][1] for n in LIGNES]
            print(f"  {etiquette:<34} {LIGNES[-1]} / {LIGNES[0]} lignes : {pics[-1] / pics[0]:.2f} (objectif : plate)")


def tableau(complet=True):
    mesures = {(nom, taille): (temps, pic) for nom, taille, temps, pic in RESULTATS}
    print()
    print(f"{'mesure':<34} {'taille':>9} {'médiane':>10} {'min – max':>21} {'mémoire':>9}")
    for nom, taille, temps, pic in RESULTATS:
        etendue = f"{duree(min(temps))} – {duree(max(temps))}"
        print(f"{nom:<34} {taille:>9} {duree(statistics.median(temps)):>10} {etendue:>21} {pic // 1024:>6} Mo")

    def med(nom, taille):
        return statistics.median(mesures[(nom, taille)][0])

    if any(nom == "rdv agenda --semaine" for nom, _ in mesures):
        rapports_journee(med)
    if ("connexion", PETITE) in mesures:
        rapports_chiffrement(med)
    rapports_echange(med)
    rapports_territoire(med, mesures)
    if ("offre importer (spie)", LIGNES[0]) in mesures:
        rapports_import(med, mesures)
    if ("offre exporter (json)", EXPORTEES[0]) in mesures:
        rapports_export(mesures)
    if not complet:
        return
    print()
    print("Rapports de cette séance (objectifs : docs/performance.md)")
    for nom in ("parcours voir N", "parcours chercher NOM", "diagnostic voir N", "offre proposer N",
                "offre chercher --commune --rayon", "stats mensuel", "stats export"):
        r = med(nom, GRANDE) / med(nom, PETITE)
        objectif = " (objectif ≤ 1,5)" if nom.endswith(" N") or nom.endswith("NOM") else ""
        print(f"  {nom:<34} {GRANDE} / {PETITE} dossiers : {r:.2f}{objectif}")
    print(f"  {'stats mensuel':<34} à {GRANDE} dossiers : {duree(med('stats mensuel', GRANDE))} (objectif < 0,5 s à 80 000)")
    print(f"  {'demo':<34} {GRANDE} personnes : {duree(med('demo --personnes N', GRANDE))} (objectif < 15 s à 80 000)")
    for nom in ("parcours voir pendant l'import", "parcours note pendant l'import"):
        if (nom, PENDANT) in mesures:
            temps = mesures[(nom, PENDANT)][0]
            print(f"  {nom:<34} {PENDANT} lignes : {len(temps)} fois, au plus {duree(max(temps))} (objectif ≤ 2 s)")



def main():
    travail = tempfile.mkdtemp(prefix="spie-banc-")
    try:
        if os.environ.get("SEULEMENT") == "echange":
            echange(travail)
            tableau(complet=False)
            return
        if os.environ.get("SEULEMENT") == "territoire":
            territoire(travail)
            tableau(complet=False)
            return
        if os.environ.get("SEULEMENT") == "chiffrement":
            base = os.path.join(travail, f"demo-{PETITE}.sqlite")
            une_fois(spie(base, "demo", "--personnes", str(PETITE)))
            chiffrement(base, travail)
            tableau(complet=False)
            return
        if os.environ.get("SEULEMENT") == "import":
            imports(travail)
            tableau(complet=False)
            return
        if os.environ.get("SEULEMENT") == "export":
            exports(travail)
            tableau(complet=False)
            return
        if os.environ.get("SEULEMENT") == "journee":
            journee(bases(travail))
            tableau(complet=False)
            return
        chemins = bases(travail)
        commandes(chemins, travail)
        journee(chemins)
        pendant_un_import(chemins[PETITE], travail)
        imports(travail)
        chiffrement(chemins[PETITE], travail)
        echange(travail)
        territoire(travail)
        tableau()
    finally:
        shutil.rmtree(travail, ignore_errors=True)


if __name__ == "__main__":
    main()
