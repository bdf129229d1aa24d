"""Render every printed document for a fictional person and keep its pages as small PNGs in
docs/documents/ (``pdftoppm -png -r 60``, poppler-utils), to be looked at in reviews.

    .venv/bin/python tools/document_pictures.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spie_desktop.documents.department import DepartmentSettings  # noqa: E402
from spie_desktop.domain.enums import Role  # noqa: E402
from spie_desktop.domain.models import Referent  # noqa: E402
from spie_desktop.services import documents  # noqa: E402
from spie_desktop.services.appointments import schedule_appointment, set_status  # noqa: E402
from spie_desktop.services.barriers import add_action, open_barrier  # noqa: E402
from spie_desktop.services.notes import write_note  # noqa: E402
from spie_desktop.services.persons import create_person, open_person  # noqa: E402
from spie_desktop.store.file_keyring import FileKeyring  # noqa: E402
from spie_desktop.store.store import Actor, Store  # noqa: E402
from spie_desktop.store.vault import KdfParams  # noqa: E402

OUT = ROOT / "docs" / "documents"
DEPARTMENT = DepartmentSettings(
    name="Département de la Nièvre",
    letterhead=(
        "Direction de l'insertion et de l'emploi",
        "Hôtel du Département, 58039 Nevers Cedex",
        "Téléphone : 03 86 60 67 00",
    ),
    city="Nevers",
    signatory_title="La référente de parcours",
    footer="Département de la Nièvre — Direction de l'insertion et de l'emploi",
)


def fill(store: Store) -> tuple[Actor, dict[str, object]]:
    referent_id = Referent(
        username="victoire.hamel", first_name="Victoire", last_name="Hamel",
        role=Role.REFERENT.value, phone="03 86 60 67 12", email="victoire.hamel@example.org",
    )  # fmt: skip
    with store.apply_remote() as session:
        session.add(referent_id)
    actor = Actor(referent_id.id, store.device_id)
    now = datetime.now(UTC)
    with store.write() as session:
        person = create_person(
            session,
            actor,
            {
                "title": "MME", "last_name": "Martin", "first_name": "Élodie",
                "address": "Résidence Les Tilleuls, bâtiment C, 14 rue des Écoles",
                "postal_code": "58000", "city": "Nevers", "phone": "06 11 22 33 44",
                "birth_date": date(1988, 5, 14), "household": "seul", "children_count": 2,
                "rsa_status": "droit_ouvert_versable", "orientation": "socio_professional",
                "follow_up_status": "en_accompagnement", "caf_number": "1234567",
            },
        )  # fmt: skip
        session.flush()
        past = schedule_appointment(
            session, actor, person.id, starts_at=now - timedelta(days=6), mode="bureau",
            purpose="accompagnement", place="Maison départementale des solidarités de Nevers",
        )  # fmt: skip
        planned = schedule_appointment(
            session, actor, person.id,
            starts_at=(now + timedelta(days=14)).replace(hour=8, minute=30, second=0),
            mode="bureau", purpose="signature_contrat",
            place="Maison départementale des solidarités, 2 rue de la Paix, Nevers",
        )  # fmt: skip
        barrier = open_barrier(
            session, actor, person.id, theme="mobilite", severity=3,
            comment="Pas de véhicule ; bus peu fréquents depuis son quartier.",
        )  # fmt: skip
        session.flush()
        add_action(
            session, actor, person.id, barrier_id=barrier.id,
            custom_label="Aide au financement du permis de conduire",
            partner="Mission locale de Nevers", due_date=date.today() + timedelta(days=60),
        )  # fmt: skip
        write_note(
            session, actor, person.id,
            "Premier entretien : Mme Martin souhaite reprendre une formation d'aide-soignante.",
        )  # fmt: skip
        write_note(session, actor, person.id, "Suivi médical en cours.", sensitive=True)
        ids = {"person": person.id, "past": past.id, "planned": planned.id}
    with store.write() as session:
        set_status(
            session, actor, ids["past"], "seen",
            summary="Point sur le projet de formation d'aide-soignante et sur la garde des "
            "enfants pendant les cours. Le dossier de financement est complet.",
            next_steps="Envoyer le dossier à la Région ; prendre contact avec la crèche !",
        )  # fmt: skip
        open_person(session, actor, ids["person"])  # type: ignore[arg-type]
    from spie_desktop.services.path import add_plan_action, draft_contract

    with store.write() as session:
        contract = draft_contract(
            session, actor, ids["person"],  # type: ignore[arg-type]
            starts_on=date.today() + timedelta(days=14),
            ends_on=date.today() + timedelta(days=14 + 182),
            objectives="Entrer en formation d'aide-soignante à la rentrée.\n"
            "Trouver un mode de garde pour les deux enfants pendant les cours.",
        )  # fmt: skip
        session.flush()
        add_plan_action(
            session, actor, contract.id, custom_label="Préparation au concours d'entrée",
            partner="GRETA de la Nièvre", planned_minutes_week=480,
        )  # fmt: skip
        add_plan_action(
            session, actor, contract.id, custom_label="Recherche d'un mode de garde",
            partner="Relais petite enfance", planned_minutes_week=120,
        )  # fmt: skip
    return actor, ids


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        store = Store.create(
            work / "data", "phrase de passe", kdf=KdfParams.fast_for_tests(),
            keyring_backend=FileKeyring(work / "keyring.json"),
        )  # fmt: skip
        try:
            actor, ids = fill(store)
            with store.write() as session:
                rendered = {
                    "convocation": documents.convocation(
                        session,
                        actor,
                        ids["planned"],
                        DEPARTMENT,  # type: ignore[arg-type]
                    ),
                    "compte-rendu": documents.visit_summary(
                        session,
                        actor,
                        ids["past"],
                        DEPARTMENT,  # type: ignore[arg-type]
                    ),
                    "contrat": documents.contract(
                        session,
                        actor,
                        ids["person"],
                        DEPARTMENT,  # type: ignore[arg-type]
                    ),
                    "dossier-droit-acces": documents.access_file(
                        session,
                        actor,
                        ids["person"],
                        DEPARTMENT,  # type: ignore[arg-type]
                    ),
                }
        finally:
            store.close()
        for stem, document in rendered.items():
            pdf = work / f"{stem}.pdf"
            pdf.write_bytes(document.content)
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / stem)], check=True)
    for picture in sorted(OUT.glob("*.png")):
        print(picture.relative_to(ROOT), picture.stat().st_size // 1024, "Kio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
