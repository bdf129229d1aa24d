"""Realistic data·inclusion v1 records for tests and benches (issue 16).

Built from the schema's own examples and enumerations (resources/referentials/
data-inclusion-v1): real communes of the Rhône with their INSEE codes and coordinates
(town hall, from the official geographic code), producers as in the published data
(dora, emplois-de-linclusion, france-travail, mes-aides…), OSM opening hours of the common
forms. Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
from typing import Any

from spie_desktop.resources import resource_path

# (INSEE code, postal code, name, latitude, longitude)
COMMUNES: list[tuple[str, str, str, float, float]] = [
    ("69123", "69003", "Lyon", 45.7578, 4.8351),
    ("69266", "69100", "Villeurbanne", 45.7719, 4.8902),
    ("69259", "69200", "Vénissieux", 45.6975, 4.8867),
    ("69256", "69120", "Vaulx-en-Velin", 45.7786, 4.9214),
    ("69029", "69500", "Bron", 45.7386, 4.9131),
    ("69290", "69800", "Saint-Priest", 45.6964, 4.9439),
    ("69034", "69300", "Caluire-et-Cuire", 45.7953, 4.8467),
    ("69286", "69140", "Rillieux-la-Pape", 45.8214, 4.8983),
    ("69264", "69400", "Villefranche-sur-Saône", 45.9897, 4.7186),
    ("69091", "69700", "Givors", 45.5906, 4.7689),
    ("69149", "69600", "Oullins-Pierre-Bénite", 45.7144, 4.8075),
    ("69275", "69150", "Décines-Charpieu", 45.7694, 4.9589),
    ("69282", "69330", "Meyzieu", 45.7667, 5.0036),
    ("69243", "69170", "Tarare", 45.8967, 4.4333),
]

SOURCES = ["dora", "emplois-de-linclusion", "france-travail", "mes-aides", "soliguide"]
HOURS = [
    "Mo-Fr 08:30-12:30; PH off",
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Tu,Th 14:00-17:30",
    "Mo-Sa 10:00-18:00",
    "We 09:00-12:00",
    "sur rendez-vous",
    None,
]
SERVICE_NAMES = [
    ("Atelier insertion et posture professionnelle", "preparer-sa-candidature"),
    ("Épicerie sociale et solidaire", "equipement-et-alimentation--alimentation"),
    ("Aide au permis de conduire", "mobilite"),
    ("Location de scooters à 2 € par jour", "mobilite"),
    ("Accompagnement aux démarches administratives", "difficultes-administratives-ou-juridiques"),
    ("Atelier budget : tenir ses comptes", "difficultes-financieres"),
    ("Cours de français langue étrangère", "lecture-ecriture-calcul--maitriser-le-francais"),
    ("Accueil de jour pour les familles", "famille"),
    ("Aide à la recherche de logement", "logement-hebergement"),
    ("Initiation à l'ordinateur et à internet", "numerique"),
    ("Permanence santé : ouvrir ses droits", "sante"),
    ("Découverte des métiers du bâtiment", "choisir-un-metier"),
    ("Chantier d'insertion espaces verts", "trouver-un-emploi"),
    ("Café-rencontres et lien social", "remobilisation"),
]


def _values(name: str) -> list[str]:
    path = resource_path("referentials", "data-inclusion-v1", f"{name}.json")
    return [item["value"] for item in json.loads(path.read_text(encoding="utf-8"))]


def structures(count: int, seed: int = 16) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for index in range(count):
        insee, postal, commune, lat, lon = COMMUNES[index % len(COMMUNES)]
        source = SOURCES[index % len(SOURCES)]
        kind = rng.choice(["Centre social", "CCAS", "Association", "Maison de quartier"])
        out.append(
            {
                "source": source,
                "id": f"{source}--s{index}",
                "nom": f"{kind} {commune} {index}",
                "date_maj": "2025-02-14",
                "siret": f"{rng.randrange(10**13, 10**14)}",
                "telephone": f"+334{rng.randrange(10**7, 10**8)}",
                "courriel": f"contact{index}@exemple.fr",
                "site_web": f"https://exemple.fr/structure/{index}",
                "adresse": f"{rng.randrange(1, 120)} rue de la République",
                "code_postal": postal,
                "code_insee": insee,
                "commune": commune,
                "latitude": round(lat + rng.uniform(-0.01, 0.01), 6),
                "longitude": round(lon + rng.uniform(-0.01, 0.01), 6),
                "horaires_accueil": rng.choice(HOURS),
                "description": f"{kind} accueillant les habitants de {commune}.",
            }
        )
    return out


def services(
    count: int, structure_list: list[dict[str, Any]], seed: int = 16
) -> list[dict[str, Any]]:
    rng = random.Random(seed + 1)
    thematiques = _values("thematiques")
    publics = _values("publics")
    types = _values("types-de-services")
    out = []
    for index in range(count):
        structure = structure_list[index % len(structure_list)]
        name, family = SERVICE_NAMES[index % len(SERVICE_NAMES)]
        themes = sorted(
            {t for t in thematiques if t.startswith(family)} | {rng.choice(thematiques)}
        )[:3]
        modes = rng.choice([["en-presentiel"], ["a-distance"], ["a-distance", "en-presentiel"]])
        volume = rng.choice([None, 1, 2.5, 3, 6, 10, 20])
        record: dict[str, Any] = {
            "source": structure["source"],
            "structure_id": structure["id"],
            "id": f"{structure['source']}--svc{index}",
            "nom": f"{name} {index}"[:150],
            "description": (
                f"{name} proposé par {structure['nom']} à {structure['commune']}. "
                "Inscription auprès de l’accueil ; apporter une pièce d’identité."
            ),
            "date_maj": "2025-02-14",
            "type": rng.choice(types),
            "thematiques": themes,
            "frais": rng.choice(["gratuit", "gratuit", "payant", None]),
            "publics": rng.choice(
                [["tous-publics"], sorted(set(rng.sample(publics[1:], 2)) - {"tous-publics"})]
            ),
            "modes_accueil": modes,
            "modes_mobilisation": rng.choice(
                [["telephoner"], ["se-presenter"], ["envoyer-un-courriel", "telephoner"]]
            ),
            "mobilisable_par": rng.choice([["professionnels"], ["usagers", "professionnels"]]),
            "mobilisation_precisions": "Appeler l’accueil en précisant le nom du référent.",
            "contact_nom_prenom": rng.choice(["Camille Martin", "Nadia Benali", None]),
            "telephone": structure["telephone"],
            "courriel": structure["courriel"],
            "adresse": structure["adresse"],
            "code_postal": structure["code_postal"],
            "code_insee": structure["code_insee"],
            "commune": structure["commune"],
            "latitude": structure["latitude"],
            "longitude": structure["longitude"],
            "horaires_accueil": rng.choice(HOURS),
            "volume_horaire_hebdomadaire": volume,
            "nombre_semaines": rng.choice([None, 4, 12]),
            "zone_eligibilite": ["69"],
            "lien_source": f"https://dora.inclusion.beta.gouv.fr/services/{index}",
        }
        if record["frais"] == "payant":
            record["frais_precisions"] = "10 € pour l’adhésion annuelle"
        out.append({key: value for key, value in record.items() if value is not None})
    return out


def bad_services(structure_id: str) -> list[Any]:
    """Records a careless export holds, each wrong in one way."""
    base = {
        "source": "dora",
        "structure_id": structure_id,
        "nom": "Service incomplet",
        "description": "Une description correcte.",
        "date_maj": "2025-02-14",
    }
    return [
        {**base, "id": "bad--theme", "thematiques": ["jardinage--arroser"]},  # unknown theme
        {key: value for key, value in base.items() if key != "nom"} | {"id": "bad--no-name"},
        {**base, "id": "bad--insee", "code_insee": "6912"},  # 4 characters
        {**base, "id": "bad--mail", "courriel": "pas une adresse"},
        {**base, "id": "bad--date", "date_maj": "14/02/2025"},
        {**base, "id": "bad--hours", "volume_horaire_hebdomadaire": -3},
        "pas un objet",
    ]
