"""Deterministic demo caseloads: from one referent's 150 people to a whole department.

``generate(spec)`` yields ``(table_name, rows)`` batches of plain Python values (ids,
timezone-aware datetimes, dates…) keyed by column name, every column present, in an order
that satisfies the foreign keys. The same :class:`DemoSpec` always gives the same rows, ids
included: names and streets come from ``Faker("fr_FR")`` seeded with ``spec.seed``, everything
else from ``random.Random(spec.seed)``, and ids are UUIDv7 built with
:func:`spie_desktop.ids.id_at` from each row's creation time and random bits of that RNG, so
they stay time-ordered like real ones.

``load_into_store(store, spec)`` inserts the batches as if they came from the departmental
server (``Store.apply_remote``: no outbox entry), refreshes the caseload summaries and makes
the acting user the device's user.

What the data looks like (rates are targets, the unit tests check them within bounds):

- one structure (« Conseil départemental de … », one of four real départements with real
  communes and postal codes), teams of about eight referents, each team with a supervisor and
  one former referent (inactive: left the service, their people were handed over), one
  administrator. Fixed usernames: the first referent is ``demo.referent``, the first supervisor
  ``demo.responsable``, the administrator ``demo.admin``;
- persons: French names, addresses, phones, ages 18–64, 7-digit CAF numbers, household,
  children, RSA status (mostly ``droit_ouvert_versable``), orientation and contract;
  follow-up status ~10 % ``a_contacter``, ~75 % ``en_accompagnement``, ~5 % ``suspendu``, ~10 %
  ``sorti`` (with ``closed_on`` and ``closure_reason``). Persons followed, suspended or exited
  have ``min_years``–``max_years`` of history; persons *à contacter* are, as in real life, new
  arrivals (oriented 0–100 days ago, at most an invitation they missed), which is what makes
  them « à contacter »;
- ~10 % had a handover: an ended assignment (former referent or a colleague of the team), then
  the active one with a handover note, also written in the journal as a ``passation`` note;
- appointments every 2–6 weeks (sooner after a missed one): ~70 % seen, ~15 % no-show, ~10 %
  excused, ~5 % revoked; most active persons have one planned in the next 0–30 days, some none
  (alerts), ~2 % have a past appointment still without its outcome; each referent's agenda is
  booked like a real one: weekdays only, 9:00–18:00 by half hours, at most 8 a day, never two
  at once (early, lunch-time or late starts only when every day around is full), so the coming
  weeks hold ~4–8 a day; ~1 in 10 planned ones was moved already (who asked, issue 12);
- 1–4 barriers per person on distinct themes (mostly the ten « freins périphériques » themes),
  1–2 standard situations, a target, statuses on France Travail's scale (older ones lifted or
  abandoned), severity; 1–3 actions per addressed barrier (standard actions of the theme or free
  text), partners, dates, ~20 % of open actions overdue;
- notes written from French templates: a follow-up note for most seen appointments (home visit
  notes for home visits), phone calls, incidents, ~5 % sensitive (health), ~1 % superseded by a
  correction;
- audit events (file opens, reveals of sensitive notes) sized so that 10,000 persons make about
  one million rows in all.
"""

from __future__ import annotations

import itertools
import math
import random
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert

from spie_desktop.domain.enums import (
    ActionStatus,
    AppointmentMode,
    AppointmentPurpose,
    AppointmentStatus,
    AuditAction,
    BarrierStatus,
    ClosureReason,
    ContractType,
    FollowUpStatus,
    Household,
    NoteKind,
    Orientation,
    Role,
    RsaStatus,
    Title,
)
from spie_desktop.domain.models import SYNCED_MODELS
from spie_desktop.domain.referentials import Referentials, get_referentials
from spie_desktop.errors import MissingExtraError
from spie_desktop.ids import id_at
from spie_desktop.store.store import Store
from spie_desktop.store.summary import fold, refresh_summaries

try:  # the `demo` extra: a desktop installed without it still starts (tests/unit/test_extras.py)
    from faker import Faker
except ImportError as exc:
    raise MissingExtraError("demo", "faker") from exc

__all__ = [
    "DEMO_ADMIN",
    "DEMO_REFERENT",
    "DEMO_SUPERVISOR",
    "MAX_BATCH_ROWS",
    "TABLE_ORDER",
    "DemoSpec",
    "estimated_rows",
    "generate",
    "load_into_store",
    "reference_now",
]

DEMO_REFERENT = "demo.referent"
DEMO_SUPERVISOR = "demo.responsable"
DEMO_ADMIN = "demo.admin"

MAX_BATCH_ROWS = 5_000
TEAM_SIZE = 8
# Persons generated (and held in memory) at a time; their rows are yielded table by table.
PERSON_CHUNK = 250
#: Persons per team imported without a referent (the supervisor's queue).
UNASSIGNED_PER_TEAM = 4
# Rows per write transaction when loading: few commits (each one syncs the WAL to disk),
# yet a WAL that checkpoints along the way instead of growing to the size of the database.
ROWS_PER_TRANSACTION = 25_000
# Rows per person on average (all tables), measured on 10,000 persons; for progress bars.
ROWS_PER_PERSON = 102

TABLE_ORDER = (
    "structure",
    "team",
    "referent",
    "person",
    "referent_assignment",
    "orientation_decision",
    "reorientation_request",
    "engagement_contract",
    "appointment",
    "barrier",
    "action",
    "note",
    "closing_review",
    "breach",
    "audit_event",
)

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class DemoSpec:
    """What to generate. ``now`` defaults to today's midnight UTC (see :func:`reference_now`)."""

    referents: int = 1
    persons_per_referent: int = 150
    seed: int = 2026
    min_years: float = 1.0
    max_years: float = 4.0
    now: datetime | None = None

    def __post_init__(self) -> None:
        if self.referents < 1 or self.persons_per_referent < 1:
            raise ValueError("DemoSpec: referents and persons_per_referent must be >= 1")
        if not 0 < self.min_years <= self.max_years <= 30:
            raise ValueError("DemoSpec: need 0 < min_years <= max_years <= 30")
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("DemoSpec.now must be timezone-aware")

    @property
    def persons(self) -> int:
        return self.referents * self.persons_per_referent


def reference_now(spec: DemoSpec) -> datetime:
    """The spec's ``now``, or today at midnight UTC, so that demo data stays current."""
    if spec.now is not None:
        return spec.now.astimezone(UTC)
    return datetime.combine(datetime.now(UTC).date(), time(0, 0), tzinfo=UTC)


def estimated_rows(spec: DemoSpec) -> int:
    """About how many rows ``generate(spec)`` yields (for a progress bar)."""
    return spec.persons * ROWS_PER_PERSON + 2 * spec.referents + 10


# -- fixed vocabularies ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Department:
    code: str
    name: str  # with its article, as in « Conseil départemental de la Nièvre »
    domain: str
    phone_prefix: str
    communes: tuple[tuple[str, str], ...]  # (city, postal code)


DEPARTMENTS: tuple[_Department, ...] = (
    _Department(
        "58",
        "de la Nièvre",
        "nievre.fr",
        "03 86",
        (
            ("Nevers", "58000"),
            ("Cosne-Cours-sur-Loire", "58200"),
            ("Decize", "58300"),
            ("Clamecy", "58500"),
            ("Varennes-Vauzelles", "58640"),
            ("Château-Chinon", "58120"),
            ("La Charité-sur-Loire", "58400"),
            ("Imphy", "58160"),
            ("Fourchambault", "58600"),
            ("Corbigny", "58800"),
            ("Luzy", "58170"),
            ("Prémery", "58700"),
            ("Saint-Pierre-le-Moûtier", "58240"),
            ("Lormes", "58140"),
            ("Donzy", "58220"),
        ),
    ),
    _Department(
        "23",
        "de la Creuse",
        "creuse.fr",
        "05 55",
        (
            ("Guéret", "23000"),
            ("Aubusson", "23200"),
            ("La Souterraine", "23300"),
            ("Bourganeuf", "23400"),
            ("Boussac", "23600"),
            ("Évaux-les-Bains", "23110"),
            ("Felletin", "23500"),
            ("Auzances", "23700"),
            ("Dun-le-Palestel", "23800"),
            ("Bénévent-l'Abbaye", "23210"),
            ("Chambon-sur-Voueize", "23170"),
            ("Sainte-Feyre", "23000"),
            ("Crocq", "23260"),
            ("Bellegarde-en-Marche", "23190"),
            ("Ahun", "23150"),
        ),
    ),
    _Department(
        "02",
        "de l'Aisne",
        "aisne.fr",
        "03 23",
        (
            ("Laon", "02000"),
            ("Saint-Quentin", "02100"),
            ("Soissons", "02200"),
            ("Château-Thierry", "02400"),
            ("Chauny", "02300"),
            ("Hirson", "02500"),
            ("Tergnier", "02700"),
            ("Villers-Cotterêts", "02600"),
            ("Guise", "02120"),
            ("Bohain-en-Vermandois", "02110"),
            ("Vervins", "02140"),
            ("La Fère", "02800"),
            ("Fère-en-Tardenois", "02130"),
            ("Charly-sur-Marne", "02310"),
            ("Marle", "02250"),
        ),
    ),
    _Department(
        "07",
        "de l'Ardèche",
        "ardeche.fr",
        "04 75",
        (
            ("Privas", "07000"),
            ("Annonay", "07100"),
            ("Aubenas", "07200"),
            ("Tournon-sur-Rhône", "07300"),
            ("Le Teil", "07400"),
            ("Guilherand-Granges", "07500"),
            ("Bourg-Saint-Andéol", "07700"),
            ("La Voulte-sur-Rhône", "07800"),
            ("Vals-les-Bains", "07600"),
            ("Lamastre", "07270"),
            ("Largentière", "07110"),
            ("Les Vans", "07140"),
            ("Le Cheylard", "07160"),
            ("Villeneuve-de-Berg", "07170"),
            ("Saint-Agrève", "07320"),
        ),
    ),
)

# The ten « freins périphériques » themes are most of the barriers; the job-search themes of
# Carnet de bord (targets only, no standard situations) make up the rest.
BARRIER_THEME_WEIGHTS: dict[str, int] = {
    "mobilite": 16,
    "logement": 14,
    "sante": 12,
    "difficulte_financiere": 12,
    "numerique": 10,
    "contraintes_familiales": 9,
    "difficulte_administrative": 9,
    "emploi": 8,
    "formation": 6,
    "maitrise_langue": 4,
    "choisir_un_metier": 2,
    "trouver_un_emploi": 2,
    "preparer_sa_candidature": 2,
    "se_former": 1,
    "creer_une_entreprise": 1,
}
MAIN_THEMES = frozenset(
    {
        "logement",
        "mobilite",
        "sante",
        "contraintes_familiales",
        "difficulte_administrative",
        "difficulte_financiere",
        "maitrise_langue",
        "numerique",
        "emploi",
        "formation",
    }
)

FREE_TARGETS: dict[str, tuple[str, ...]] = {
    "emploi": (
        "Reprendre un emploi à temps partiel",
        "Accéder à un contrat de plus de six mois",
        "Travailler dans le secteur des services à la personne",
        "Entrer en structure d'insertion par l'activité économique",
    ),
    "formation": (
        "Obtenir un titre professionnel",
        "Suivre une formation qualifiante",
        "Valider les acquis de l'expérience",
        "Remettre à niveau les savoirs de base",
    ),
}
GENERIC_FREE_TARGETS = (
    "Lever ce frein avant la reprise d'activité",
    "Retrouver une situation stable",
    "Gagner en autonomie dans les démarches",
)

FREE_ACTIONS: dict[str, tuple[str, ...]] = {
    "numerique": (
        "Atelier d'initiation au numérique",
        "Accompagnement à la création d'une adresse électronique",
        "Prêt d'un ordinateur reconditionné",
        "Rendez-vous avec un conseiller numérique France Services",
    ),
    "mobilite": ("Bilan mobilité", "Demande d'aide au permis de conduire"),
    "logement": ("Visite d'un logement proposé par le bailleur", "Dossier d'aide FSL"),
    "sante": ("Orientation vers un bilan de santé", "Prise de rendez-vous au CMP"),
    "emploi": ("Immersion professionnelle (PMSMP)", "Candidature en chantier d'insertion"),
    "formation": ("Information collective organisme de formation", "Inscription au GRETA"),
}
GENERIC_FREE_ACTIONS = (
    "Accompagnement physique dans la démarche",
    "Orientation vers le partenaire compétent",
    "Constitution du dossier avec la personne",
    "Atelier collectif",
)

PARTNERS: dict[str, tuple[str, ...]] = {
    "mobilite": (
        "Plateforme mobilité Wimoov",
        "Auto-école sociale",
        "Garage solidaire",
        "Transport à la demande du département",
    ),
    "logement": (
        "ADIL",
        "CCAS",
        "Bailleur social",
        "Service intégré d'accueil et d'orientation",
        "Action Logement",
    ),
    "sante": ("CPAM", "Centre médico-psychologique", "Centre d'examens de santé", "PASS"),
    "contraintes_familiales": (
        "CAF",
        "Relais petite enfance",
        "Crèche à vocation d'insertion",
        "PMI",
    ),
    "difficulte_administrative": ("France Services", "CAF", "Point justice", "Préfecture"),
    "difficulte_financiere": (
        "Point conseil budget",
        "Banque de France",
        "CCAS",
        "Secours populaire",
        "Restos du cœur",
    ),
    "maitrise_langue": ("Centre social", "OFII", "Association d'alphabétisation"),
    "numerique": (
        "France Services",
        "Emmaüs Connect",
        "Conseiller numérique",
        "Médiathèque intercommunale",
    ),
    "emploi": (
        "France Travail",
        "Cap emploi",
        "Chantier d'insertion",
        "Entreprise d'insertion",
        "Association intermédiaire",
        "Mission locale",
    ),
    "formation": ("GRETA", "AFPA", "Organisme de formation", "Région (programme régional)"),
}
GENERIC_PARTNERS = ("France Travail", "Mission locale", "CCAS", "Centre social")

# -- sentence fragments for notes (French, as a referent writes them) -----------------------

_OPENINGS_SEEN = (
    "Entretien de suivi avec {civ} {nom}.",
    "Rendez-vous honoré, {prenom} est venu·e à l'heure.",
    "Point d'étape avec {civ} {nom}.",
    "Entretien individuel ce jour.",
    "{prenom} se présente au rendez-vous, accompagné·e de son enfant.",
    "Échange de trois quarts d'heure avec {civ} {nom}.",
)
_OPENINGS_HOME = (
    "Visite à domicile à {ville}.",
    "Visite au domicile de {civ} {nom}, accueil cordial.",
    "Visite à domicile programmée, {prenom} était présent·e.",
)
_THEME_SENTENCES: dict[str, tuple[str, ...]] = {
    "mobilite": (
        "Pas de véhicule, les transports en commun ne desservent pas la commune aux horaires "
        "de travail.",
        "Le code de la route est obtenu, reste la conduite : demande d'aide au permis déposée.",
        "Le véhicule est en panne depuis un mois, devis du garage solidaire demandé.",
    ),
    "logement": (
        "Logement trop petit pour la famille, demande de logement social renouvelée.",
        "Impayés de loyer : plan d'apurement proposé par le bailleur.",
        "Hébergement chez un tiers, demande SIAO en cours.",
    ),
    "sante": (
        "Fatigue importante évoquée, orientation vers un bilan de santé.",
        "Les démarches de complémentaire santé solidaire sont faites.",
        "Rendez-vous médical prévu, à revoir ensuite.",
    ),
    "contraintes_familiales": (
        "Mode de garde à trouver pour le plus jeune avant toute reprise.",
        "Place en crèche obtenue à partir du mois prochain.",
        "Aide à un parent malade, disponibilité limitée aux matinées.",
    ),
    "difficulte_administrative": (
        "Dossier CAF incomplet, pièces listées ensemble.",
        "Renouvellement du titre de séjour en cours.",
        "Déclaration trimestrielle faite ensemble sur le site de la CAF.",
    ),
    "difficulte_financiere": (
        "Budget très serré, orientation vers le point conseil budget.",
        "Dossier de surendettement en préparation avec la Banque de France.",
        "Aide alimentaire ponctuelle mise en place.",
    ),
    "maitrise_langue": (
        "Inscription aux cours de français du centre social.",
        "Progrès à l'oral, l'écrit reste difficile.",
    ),
    "numerique": (
        "Pas d'ordinateur, uniquement un téléphone : atelier numérique proposé.",
        "Adresse électronique créée ensemble, mot de passe noté dans le carnet.",
        "Espace personnel France Travail activé avec le conseiller numérique.",
    ),
    "emploi": (
        "CV mis à jour, trois candidatures envoyées cette semaine.",
        "Intéressé·e par le secteur de l'aide à domicile, immersion envisagée.",
        "Entretien d'embauche prévu dans une entreprise d'insertion.",
    ),
    "formation": (
        "Projet de formation d'agent de propreté, information collective à venir.",
        "Dossier d'inscription au GRETA complété.",
        "Souhaite passer le CACES, financement à chercher.",
    ),
}
_GENERIC_SENTENCES = (
    "Situation globalement stable depuis le dernier rendez-vous.",
    "Les démarches prévues ont été faites.",
    "Peu d'avancées ce mois-ci, la motivation reste présente.",
    "Bonne dynamique, la personne est force de proposition.",
)
_NEXT_STEPS = (
    "Prochain rendez-vous dans un mois.",
    "Prochaine étape : relancer le partenaire.",
    "À revoir après la réponse de la CAF.",
    "Rappeler dans quinze jours pour faire le point.",
    "Apporter les justificatifs au prochain rendez-vous.",
    "Préparer ensemble l'entretien d'embauche.",
)
_CALLS = (
    "Appel de {prenom} : demande de décaler le rendez-vous, accepté.",
    "Appel sortant : point rapide sur les démarches, tout avance.",
    "Appel de {prenom} : question sur un courrier de la CAF, explications données.",
    "Appel au partenaire ({partenaire}) pour suivre la demande de {civ} {nom}.",
    "Message laissé sur le répondeur, pas de rappel pour l'instant.",
    "Appel de {prenom} : bonne nouvelle, réponse favorable reçue.",
)
_NOSHOW_CALLS = (
    "Relance téléphonique suite à l'absence au rendez-vous du {date} : pas de réponse.",
    "Relance après l'absence du {date} : {prenom} avait oublié, nouveau rendez-vous fixé.",
    "Absence au rendez-vous du {date}, courrier de relance envoyé.",
)
_INCIDENTS = (
    "Courrier retourné « n'habite pas à l'adresse indiquée », adresse à vérifier.",
    "Échange tendu à l'accueil, la situation s'est apaisée après discussion.",
    "Signalement d'une coupure d'électricité au domicile, contact pris avec le CCAS.",
)
_SENSITIVE = (
    "{prenom} évoque un suivi psychiatrique en cours au CMP ; à prendre en compte dans le "
    "rythme des rendez-vous.",
    "Hospitalisation de plusieurs semaines prévue, l'accompagnement sera adapté.",
    "Problème d'addiction évoqué, orientation vers un CSAPA acceptée.",
    "Reconnaissance de la qualité de travailleur handicapé en cours auprès de la MDPH.",
    "Traitement médical lourd, fatigue importante ; pas de reprise envisagée à court terme.",
)
_HANDOVER = (
    "Passation : {prenom} est accompagné·e depuis {depuis}. Points d'attention : {frein}. "
    "Relation de confiance établie, à préserver.",
    "Passation suite au départ du référent. Suivi depuis {depuis}, freins principaux : "
    "{frein}. Prochaine étape convenue avec la personne : {suite}",
    "Reprise du suivi de {civ} {nom}. Dossier à jour, frein principal : {frein}.",
)
_SUSPENSIONS = (
    "Accompagnement suspendu : entrée en formation longue à temps plein.",
    "Accompagnement suspendu à la demande de la personne (congé maternité).",
    "Accompagnement suspendu : séjour prolongé hors du département.",
    "Accompagnement suspendu dans l'attente de la décision de la CAF sur les droits.",
)
_EXITS: dict[str, str] = {
    ClosureReason.EMPLOYMENT.value: "Sortie du dispositif : reprise d'emploi en CDI.",
    ClosureReason.TRAINING.value: "Sortie du dispositif : entrée en formation qualifiante.",
    ClosureReason.MOVED.value: "Sortie du dispositif : déménagement hors du département.",
    ClosureReason.END_OF_RIGHTS.value: "Sortie du dispositif : fin des droits au RSA.",
    ClosureReason.REORIENTATION.value: "Sortie : réorientation vers France Travail.",
    ClosureReason.OTHER.value: "Sortie du dispositif, dossier clôturé.",
}
_OUTCOMES_DONE = (
    "Objectif atteint.",
    "Démarche aboutie, la personne est satisfaite.",
    "Réalisée avec le partenaire.",
    "Terminée, à valoriser dans le bilan.",
)
_BARRIER_COMMENTS = (
    "Frein évoqué dès le premier entretien.",
    "La personne en parle facilement.",
    "Frein lié à la situation familiale.",
    "À travailler en lien avec le partenaire.",
)


# -- generator -------------------------------------------------------------------------------


# Plain-string codes used in the hot loops (an enum's .value costs a property call).
_APPT_PLANNED = AppointmentStatus.PLANNED.value
_APPT_SEEN = AppointmentStatus.SEEN.value
_APPT_EXCUSED = AppointmentStatus.EXCUSED.value
_APPT_REVOKED = AppointmentStatus.REVOKED.value
_APPT_NOSHOW = AppointmentStatus.NOSHOW.value
_MODE_HOME = AppointmentMode.HOME.value
_MODE_OFFICE = AppointmentMode.OFFICE.value
_MODE_PHONE = AppointmentMode.PHONE.value
_MODE_VIDEO = AppointmentMode.VIDEO.value
_MODE_PARTNER = AppointmentMode.PARTNER.value
_PURPOSE_ORIENTATION = AppointmentPurpose.ORIENTATION.value
_PURPOSE_SUPPORT = AppointmentPurpose.SUPPORT.value
_PURPOSE_CONTRACT_SIGNATURE = AppointmentPurpose.CONTRACT_SIGNATURE.value
_PURPOSE_FOLLOW_UP = AppointmentPurpose.FOLLOW_UP.value
_PURPOSE_REVIEW = AppointmentPurpose.REVIEW.value
_NOTE_FOLLOW_UP = NoteKind.FOLLOW_UP.value
_NOTE_HOME_VISIT = NoteKind.HOME_VISIT.value
_NOTE_CALL = NoteKind.CALL.value
_NOTE_HANDOVER = NoteKind.HANDOVER.value
_NOTE_INCIDENT = NoteKind.INCIDENT.value
_AUDIT_OPEN = AuditAction.OPEN.value
_AUDIT_REVEAL = AuditAction.REVEAL.value


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]


class _Weights:
    """A fixed weighted choice, its cumulative weights computed once."""

    __slots__ = ("cumulative", "keys")

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.keys = tuple(weights)
        self.cumulative = tuple(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]


# Rates of the demo (weights, not necessarily summing to 100).
_FOLLOW_UP_MIX = _Weights(
    {
        FollowUpStatus.TO_CONTACT.value: 10,
        FollowUpStatus.FOLLOWED.value: 75,
        FollowUpStatus.SUSPENDED.value: 5,
        FollowUpStatus.EXITED.value: 10,
    }
)

_CLOSURE_MIX = _Weights(
    {
        ClosureReason.EMPLOYMENT.value: 35,
        ClosureReason.TRAINING.value: 15,
        ClosureReason.MOVED.value: 15,
        ClosureReason.END_OF_RIGHTS.value: 20,
        ClosureReason.REORIENTATION.value: 10,
        ClosureReason.OTHER.value: 5,
    }
)

_ORIENTATION_MIX = _Weights(
    {
        Orientation.SOCIAL.value: 35,
        Orientation.SOCIO_PROFESSIONAL.value: 35,
        Orientation.PROFESSIONAL.value: 30,
    }
)

_RSA_MIX = _Weights(
    {
        RsaStatus.OPEN_PAYABLE.value: 85,
        RsaStatus.OPEN_PAYMENT_SUSPENDED.value: 5,
        RsaStatus.OPEN_SUSPENDED.value: 4,
        RsaStatus.PENDING.value: 4,
        RsaStatus.REFUSED.value: 1,
        RsaStatus.CLOSED.value: 1,
    }
)

_OUTCOME_MIX = _Weights(
    {
        _APPT_SEEN: 70,
        _APPT_NOSHOW: 15,
        _APPT_EXCUSED: 10,
        _APPT_REVOKED: 5,
    }
)

_OLD_BARRIER_MIX = _Weights(
    {
        BarrierStatus.LIFTED.value: 65,
        BarrierStatus.ABANDONED.value: 15,
        BarrierStatus.IN_PROGRESS.value: 20,
    }
)

_MIDDLE_BARRIER_MIX = _Weights(
    {
        BarrierStatus.LIFTED.value: 35,
        BarrierStatus.ABANDONED.value: 10,
        BarrierStatus.IN_PROGRESS.value: 45,
        BarrierStatus.IDENTIFIED.value: 10,
    }
)

_RECENT_BARRIER_MIX = _Weights(
    {
        BarrierStatus.IDENTIFIED.value: 30,
        BarrierStatus.IN_PROGRESS.value: 55,
        BarrierStatus.NOT_ADDRESSED.value: 10,
        BarrierStatus.LIFTED.value: 5,
    }
)

_LIFTED_ACTION_MIX = _Weights(
    {
        ActionStatus.DONE.value: 80,
        ActionStatus.CANCELLED.value: 10,
        ActionStatus.ABANDONED.value: 10,
    }
)

_ABANDONED_ACTION_MIX = _Weights(
    {
        ActionStatus.ABANDONED.value: 60,
        ActionStatus.CANCELLED.value: 25,
        ActionStatus.DONE.value: 15,
    }
)

_SUSPENDED_ACTION_MIX = _Weights(
    {
        ActionStatus.STANDBY.value: 70,
        ActionStatus.DONE.value: 30,
    }
)

_OPEN_ACTION_MIX = _Weights(
    {
        ActionStatus.PLANNED.value: 25,
        ActionStatus.IN_PROGRESS.value: 40,
        ActionStatus.STANDBY.value: 10,
        ActionStatus.DONE.value: 25,
    }
)

_MODE_MIX = _Weights(
    {
        _MODE_OFFICE: 45,
        _MODE_PHONE: 20,
        _MODE_HOME: 15,
        _MODE_PARTNER: 12,
        _MODE_VIDEO: 8,
    }
)


def _noon(day: date) -> datetime:
    """Midday of ``day`` in Paris: whose agenda a day belongs to, around a handover."""
    return datetime.combine(day, time(12, 0), tzinfo=PARIS)


#: a referent's appointments a day at most, and the times they may start (minutes after
#: midnight, Paris): 9:00–11:30 and 14:00–16:30 by half hours, so the last ends by 18:00.
_DAY_CAP = 8
_BOOK_STARTS = tuple(h * 60 + m for h in (9, 10, 11, 14, 15, 16) for m in (0, 30))
_EXTRA_STARTS = (8 * 60, 8 * 60 + 30, 12 * 60 + 30, 13 * 60, 13 * 60 + 30, 17 * 60, 17 * 60 + 30)


@dataclass
class _Staff:
    id: uuid.UUID
    username: str
    role: str
    team: int | None
    device_id: str
    active: bool = True


@dataclass
class _Team:
    id: uuid.UUID
    town: str
    supervisor: _Staff | None = None
    former: _Staff | None = None
    referents: list[_Staff] = field(default_factory=list)


class _Rows:
    """Rows of one chunk of persons, by table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_ORDER}

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.tables[table].append(row)

    def batches(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        for name in TABLE_ORDER:
            rows = self.tables[name]
            for start in range(0, len(rows), MAX_BATCH_ROWS):
                yield name, rows[start : start + MAX_BATCH_ROWS]
            self.tables[name] = []


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


class _Generator:
    def __init__(self, spec: DemoSpec) -> None:
        self.spec = spec
        self.now = reference_now(spec)
        self.today = self.now.date()
        self.rng = random.Random(spec.seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(spec.seed)
        self.refs: Referentials = get_referentials()
        self.dept = self.rng.choice(DEPARTMENTS)
        self.structure_id: uuid.UUID | None = None
        self.teams: list[_Team] = []
        self.usernames: set[str] = set()
        # Each referent's booked appointments per day, (start, end) in minutes after midnight:
        # a referent sees ~4–8 persons a day, never two at once (issue 12).
        self.booked: dict[tuple[uuid.UUID, date], list[tuple[int, int]]] = {}
        self.themes = {
            theme: weight
            for theme, weight in BARRIER_THEME_WEIGHTS.items()
            if self.refs.is_valid("theme", theme)
        }
        self.person_seq = 0

    # helpers ---------------------------------------------------------------------------------

    def id(self, at: datetime) -> uuid.UUID:
        return id_at(_ms(at), self.rng.getrandbits(74))

    def slot(self, day: date) -> datetime:
        """A working-hours slot (Paris time) on ``day`` or a weekday after it, in UTC."""
        weekday = day.weekday()
        if weekday >= 5:  # a weekday of the next week, not always its Monday
            day += timedelta(days=7 - weekday + self.rng.randint(0, 4))
        hour = self.rng.choice((9, 9, 10, 10, 11, 14, 14, 15, 15, 16))
        minute = self.rng.choice((0, 0, 15, 30, 30, 45))
        return datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)

    def book(
        self, staff: _Staff, day: date, mode: str, before: date | None = None
    ) -> tuple[datetime, int]:
        """A free slot of ``staff``'s agenda on ``day`` (or the next day with room), in UTC,
        with its duration: at most :data:`_DAY_CAP` a day, none overlapping. A weekend day
        becomes a weekday of the next week (not always its Monday). With ``before``, the
        slot stays before that day: past it, the search goes back from ``day``. Where every
        day around is full, an early, lunch-time or late start, still over nobody."""
        rng = self.rng
        duration = (
            rng.choice((30, 45, 45, 45, 60, 60, 90))
            if mode != _MODE_PHONE
            else rng.choice((15, 20, 30))
        )
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday() + rng.randint(0, 4))
        days = [day]
        step, current = timedelta(days=1), day
        while len(days) < 240:
            current += step
            if before is not None and current >= before and step.days > 0:
                step, current = -step, day - timedelta(days=1)
            if current.weekday() < 5:
                days.append(current)
        for starts, cap in ((_BOOK_STARTS, _DAY_CAP), (_EXTRA_STARTS, None)):
            for candidate in days:
                taken = self.booked.setdefault((staff.id, candidate), [])
                if cap is not None and len(taken) >= cap:
                    continue
                free = [
                    start
                    for start in starts
                    if all(start + duration <= a or b <= start for a, b in taken)
                ]
                if not free:
                    continue
                if cap is None:
                    start = free[0]
                else:  # mostly the earliest free start of the morning or the afternoon:
                    # a packed day leaves room for the long ones
                    morning = rng.random() < 0.5
                    half = [t for t in free if (t < 720) == morning] or free
                    start = half[0] if rng.random() < 0.8 else rng.choice(free)
                taken.append((start, start + duration))
                at = datetime.combine(candidate, time(start // 60, start % 60), tzinfo=PARIS)
                return at.astimezone(UTC), duration
        return self.slot(day), duration

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        span = (end - start).total_seconds()
        return start + timedelta(seconds=self.rng.uniform(0, span))

    def phone(self, mobile: bool = True) -> str:
        rng = self.rng
        head = rng.choice(("06", "07")) if mobile else self.dept.phone_prefix
        groups = 4 if mobile else 3
        return head + "".join(f" {rng.randrange(100):02d}" for _ in range(groups))

    def unique_username(self, first: str, last: str) -> str:
        base = f"{fold(first)}.{fold(last)}".replace(" ", "-")
        name, n = base, 1
        while name in self.usernames:
            n += 1
            name = f"{base}{n}"
        self.usernames.add(name)
        return name

    @staticmethod
    def synced(row_id: uuid.UUID, created: datetime, updated: datetime) -> dict[str, Any]:
        return {
            "id": row_id,
            "created_at": created,
            "updated_at": max(created, updated),
            "deleted_at": None,
        }

    # organisation ----------------------------------------------------------------------------

    def organisation(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        rng, fake, dept = self.rng, self.fake, self.dept
        founded = self.now - timedelta(days=int(365.25 * (self.spec.max_years + 2)))
        self.structure_id = self.id(founded)
        seat, seat_code = dept.communes[0]
        yield (
            "structure",
            [
                {
                    **self.synced(self.structure_id, founded, founded),
                    "name": f"Conseil départemental {dept.name}",
                    "siret": f"2{dept.code}{rng.randrange(10**11):011d}",
                    "address": f"{rng.randint(1, 40)}, {fake.street_name()}",
                    "postal_code": seat_code,
                    "city": seat,
                    "phone": self.phone(mobile=False),
                }
            ],
        )

        n_teams = math.ceil(self.spec.referents / TEAM_SIZE)
        towns = [dept.communes[i % len(dept.communes)][0] for i in range(n_teams)]
        team_rows = []
        for index in range(n_teams):
            created = founded + timedelta(days=rng.randint(0, 60))
            team = _Team(id=self.id(created), town=towns[index])
            self.teams.append(team)
            team_rows.append(
                {
                    **self.synced(team.id, created, created),
                    "name": f"Équipe insertion — {towns[index]}"
                    + (
                        f" {index // len(dept.communes) + 1}" if index >= len(dept.communes) else ""
                    ),
                    "structure_id": self.structure_id,
                }
            )
        yield "team", team_rows

        referent_rows: list[dict[str, Any]] = []

        def staff(role: str, team: int | None, username: str | None, active: bool) -> _Staff:
            female = rng.random() < 0.7
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name()
            login = username or self.unique_username(first, last)
            self.usernames.add(login)
            created = founded + timedelta(days=rng.randint(30, 400))
            person = _Staff(
                id=self.id(created),
                username=login,
                role=role,
                team=team,
                device_id=f"demo-{rng.getrandbits(64):016x}",
                active=active,
            )
            email_user = f"{fold(first)}.{fold(last)}".replace(" ", "-")
            referent_rows.append(
                {
                    **self.synced(person.id, created, created),
                    "username": login,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{email_user}@{dept.domain}",
                    "phone": self.phone(mobile=False),
                    "role": role,
                    "team_id": self.teams[team].id if team is not None else None,
                    "structure_id": self.structure_id,
                    "active": active,
                }
            )
            return person

        self.admin = staff(Role.ADMIN.value, None, DEMO_ADMIN, True)
        base, extra = divmod(self.spec.referents, n_teams)
        for index, team in enumerate(self.teams):
            size = base + (1 if index < extra else 0)
            team.supervisor = staff(
                Role.SUPERVISOR.value, index, DEMO_SUPERVISOR if index == 0 else None, True
            )
            for member in range(size):
                name = DEMO_REFERENT if index == 0 and member == 0 else None
                team.referents.append(staff(Role.REFERENT.value, index, name, True))
            team.former = staff(Role.REFERENT.value, index, None, False)
        yield "referent", referent_rows

    # persons ---------------------------------------------------------------------------------

    def persons(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        rows = _Rows()
        pending = 0
        for team in self.teams:
            for referent in team.referents:
                for _ in range(self.spec.persons_per_referent):
                    self.person(rows, team, referent)
                    pending += 1
                    if pending >= PERSON_CHUNK:
                        yield from rows.batches()
                        pending = 0
        if pending:
            yield from rows.batches()
        yield from self.unassigned()

    def unassigned(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """A few persons per team imported by the administrator without a referent: the
        queue the supervisor works through (issue 14), waiting 1–45 days. Drawn last, from
        their own random stream, so that the rest of the demo stays as it was."""
        rng = random.Random(self.spec.seed * 7919 + 14)
        rows: list[dict[str, Any]] = []
        for team in self.teams:
            for _ in range(UNASSIGNED_PER_TEAM):
                self.person_seq += 1
                created = self.now - timedelta(days=rng.randint(1, 45), hours=rng.randint(0, 8))
                female = rng.random() < 0.55
                first = self.fake.first_name_female() if female else self.fake.first_name_male()
                city, postal_code = rng.choice(self.dept.communes)
                person_id = self.id(created)
                rows.append(
                    {
                        **self.synced(person_id, created, created),
                        "external_id": f"CD{self.dept.code}-{self.person_seq:07d}",
                        "caf_number": f"{rng.randrange(10**7):07d}",
                        "france_travail_id": None,
                        "title": Title.MRS.value if female else Title.MR.value,
                        "last_name": self.fake.last_name().upper(),
                        "birth_name": None,
                        "first_name": first,
                        "birth_date": (
                            self.today - timedelta(days=rng.randint(19 * 365, 60 * 365))
                        ),
                        "phone": self.phone(),
                        "email": None,
                        "address": f"{rng.randint(1, 80)}, {self.fake.street_name()}",
                        "postal_code": postal_code,
                        "city": city,
                        "household": None,
                        "children_count": None,
                        "rsa_status": RsaStatus.OPEN_PAYABLE.value,
                        "rights_opening_date": created.date() - timedelta(days=rng.randint(5, 30)),
                        "orientation": None,
                        "contract_type": None,
                        "contract_start": None,
                        "contract_end": None,
                        "follow_up_status": FollowUpStatus.TO_CONTACT.value,
                        "closed_on": None,
                        "closure_reason": None,
                        "referent_id": None,
                        "team_id": team.id,
                        "consent_given_on": None,
                        "information_given_on": None,
                    }
                )
        if rows:
            yield "person", rows

    def person(self, out: _Rows, team: _Team, referent: _Staff) -> None:
        rng, fake, now, today = self.rng, self.fake, self.now, self.today
        self.person_seq += 1

        status = _FOLLOW_UP_MIX.pick(rng)
        # History window [start, end): end is when the follow-up stopped for exits and
        # suspensions, today otherwise.
        if status == FollowUpStatus.TO_CONTACT.value:
            start_day = today - timedelta(days=rng.randint(2, 100))
        else:
            years = rng.uniform(self.spec.min_years, self.spec.max_years)
            start_day = today - timedelta(days=int(years * 365.25))
        span = (today - start_day).days
        end_day = today
        closed_on: date | None = None
        closure_reason: str | None = None
        if status == FollowUpStatus.EXITED.value:
            back = rng.randint(7, max(8, min(540, span - 120)))
            closed_on = today - timedelta(days=back)
            end_day = closed_on
            closure_reason = _CLOSURE_MIX.pick(rng)
        elif status == FollowUpStatus.SUSPENDED.value:
            end_day = today - timedelta(days=rng.randint(20, min(180, max(21, span - 60))))
        created = self.slot(start_day) - timedelta(hours=rng.randint(1, 72))
        created = min(created, now - timedelta(hours=1))

        # identity
        female = rng.random() < 0.56
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name()
        age = rng.randint(18, 24) if rng.random() < 0.08 else rng.randint(25, 64)
        # old enough to have been an adult when the follow-up started
        age = min(64, max(age, 18 + math.ceil(span / 365.25)))
        birth_date = today - timedelta(days=age * 365 + rng.randint(10, 355))
        household = Household.COUPLE.value if rng.random() < 0.35 else Household.ALONE.value
        with_children = rng.random() < (0.6 if household == Household.COUPLE.value else 0.35)
        children = rng.choice((1, 1, 1, 2, 2, 3, 4)) if with_children and age > 19 else 0
        birth_name = (
            fake.last_name() if female and household == "couple" and rng.random() < 0.4 else None
        )
        city, postal_code = rng.choice(self.dept.communes)
        street_number = rng.randint(1, 120)
        address = f"{street_number}, {fake.street_name()}"
        if rng.random() < 0.15:
            residence = rng.choice(("les Tilleuls", "du Parc", "des Acacias", "le Clos"))
            address = f"Résidence {residence}, bât. {rng.choice('ABCDE')}, {address}"
        email = None
        if rng.random() < 0.6:
            local = f"{fold(first)}.{fold(last)}".replace(" ", "")
            if rng.random() < 0.5:
                local += str(rng.randint(1, 99))
            email = f"{local}@{fake.free_email_domain()}"
        orientation = _ORIENTATION_MIX.pick(rng)
        if orientation == Orientation.PROFESSIONAL.value:
            contract = ContractType.PPAE.value
        elif age < 26 and rng.random() < 0.6:
            contract = rng.choice((ContractType.CEJ.value, ContractType.PACEA.value))
        else:
            contract = ContractType.CER.value
        if rng.random() < 0.15:
            contract = ContractType.ENGAGEMENT.value
        if status == FollowUpStatus.TO_CONTACT.value or rng.random() < 0.05:
            contract = ContractType.NONE.value
        if status == FollowUpStatus.EXITED.value and rng.random() < 0.5:
            rsa = RsaStatus.CLOSED.value
        else:
            rsa = _RSA_MIX.pick(rng)
        rights_opening = start_day - timedelta(days=rng.randint(15, 400))
        rights_opening = max(rights_opening, birth_date + timedelta(days=18 * 366))
        person_id = self.id(created)
        ctx = _PersonContext(
            id=person_id,
            first=first,
            last=last,
            civ="Mme" if female else "M.",
            city=city,
            address=f"{address}, {postal_code} {city}",
        )

        # referents over time: ~10 % had a handover
        handover_at: datetime | None = None
        previous: _Staff | None = None
        if status != FollowUpStatus.TO_CONTACT.value and span > 120 and rng.random() < 0.10:
            last_day = min(end_day, today) - timedelta(days=15)
            first_day = start_day + timedelta(days=60)
            if last_day > first_day:
                day = first_day + timedelta(days=rng.randint(0, (last_day - first_day).days))
                handover_at = self.slot(day) - timedelta(hours=rng.randint(1, 48))
                colleagues = [r for r in team.referents if r is not referent]
                if colleagues and rng.random() < 0.4:
                    previous = rng.choice(colleagues)
                else:
                    previous = team.former

        def who(at: datetime) -> _Staff:
            if handover_at is not None and previous is not None and at < handover_at:
                return previous
            return referent

        # barriers first (appointment and note texts talk about them)
        barriers = self.barriers(out, ctx, status, start_day, end_day, closure_reason)
        open_themes = [b for b in barriers if b[1]] or barriers
        ctx.themes = [theme for theme, _ in open_themes] or ["emploi"]

        # appointments, their notes and audit opens
        contract_start: date | None = None
        contract_end: date | None = None
        first_contact: date | None = None
        last_update = created
        appointments: list[tuple[datetime, str]] = []
        if status == FollowUpStatus.TO_CONTACT.value:
            if rng.random() < 0.3:
                day = start_day + timedelta(days=rng.randint(1, max(1, span - 1)))
                if day < today:
                    staff = who(_noon(day))
                    at, minutes = self.book(staff, day, _MODE_OFFICE)
                    if at < now:
                        outcome = rng.choice((_APPT_NOSHOW, _APPT_EXCUSED))
                        self.appointment(
                            out,
                            ctx,
                            staff,
                            at,
                            outcome,
                            _PURPOSE_ORIENTATION,
                            _MODE_OFFICE,
                            created,
                            team,
                            minutes,
                        )
                        appointments.append((at, outcome))
        else:
            day = start_day + timedelta(days=rng.randint(3, 15))
            previous_end = created
            last_review = day
            signed: date | None = None
            # ~2 % of all persons (so ~2.7 % of those followed) have a past appointment
            # still waiting for its outcome
            pending_outcome = status == FollowUpStatus.FOLLOWED.value and rng.random() < 0.027
            while day < end_day:
                at = self.slot(day)
                if at >= now or at.date() >= end_day:
                    break
                # the first meeting took place: that is how the follow-up started
                outcome = _OUTCOME_MIX.pick(rng) if appointments else _APPT_SEEN
                if not appointments:
                    purpose = _PURPOSE_ORIENTATION
                    mode = _MODE_OFFICE
                elif (
                    contract != ContractType.NONE.value
                    and outcome == _APPT_SEEN
                    and (signed is None or (day - signed).days >= 365)
                ):
                    purpose = _PURPOSE_CONTRACT_SIGNATURE
                    mode = _MODE_OFFICE
                    signed = day
                    contract_start = day
                    contract_end = day + timedelta(days=365 if rng.random() < 0.7 else 182)
                elif (day - last_review).days >= 180:
                    purpose = _PURPOSE_REVIEW
                    mode = _MODE_MIX.pick(rng)
                    last_review = day
                else:
                    purpose = rng.choice((_PURPOSE_FOLLOW_UP, _PURPOSE_FOLLOW_UP, _PURPOSE_SUPPORT))
                    mode = _MODE_MIX.pick(rng)
                if first_contact is None and outcome == _APPT_SEEN:
                    first_contact = at.date()
                staff = who(at)
                booked, minutes = self.book(
                    staff, at.astimezone(PARIS).date(), mode, before=min(today, end_day)
                )
                if booked < now and booked.date() < end_day:
                    at = booked  # a free slot of her day (or the next one with room)
                planned_at = previous_end if previous_end < at else at - timedelta(days=7)
                previous_end = self.appointment(
                    out, ctx, staff, at, outcome, purpose, mode, planned_at, team, minutes
                )
                appointments.append((at, outcome))
                gap = rng.randint(14, 42) if outcome == _APPT_SEEN else rng.randint(5, 15)
                if rng.random() < 0.25 and outcome == _APPT_SEEN:
                    call_day = day + timedelta(days=rng.randint(2, max(2, gap - 2)))
                    call_at = self.slot(call_day)
                    if call_at < now and call_day < end_day:
                        self.note(
                            out, ctx, who(call_at), call_at, _NOTE_CALL, self.text(_CALLS, ctx)
                        )
                day += timedelta(days=gap)
            last_update = max(last_update, previous_end)

            if pending_outcome and appointments:
                # after the last one, within the last three weeks
                after = appointments[-1][0].astimezone(PARIS).date() + timedelta(days=1)
                window = max(after, today - timedelta(days=21))
                if window < today:
                    offset = rng.randint(0, (today - window).days - 1)
                    pending_day = window + timedelta(days=offset)
                    staff = who(_noon(pending_day))
                    at, minutes = self.book(staff, pending_day, _MODE_OFFICE)
                    if at < now:
                        self.appointment(
                            out,
                            ctx,
                            staff,
                            at,
                            _APPT_PLANNED,
                            _PURPOSE_FOLLOW_UP,
                            _MODE_OFFICE,
                            appointments[-1][0],
                            team,
                            minutes,
                        )
            if status == FollowUpStatus.FOLLOWED.value and rng.random() < 0.88:
                mode = _MODE_MIX.pick(rng)
                at, minutes = self.book(referent, today + timedelta(days=rng.randint(0, 30)), mode)
                planned = (
                    min(now - timedelta(hours=1), appointments[-1][0] + timedelta(hours=1))
                    if appointments
                    else now - timedelta(days=3)
                )
                self.appointment(
                    out,
                    ctx,
                    referent,
                    at,
                    _APPT_PLANNED,
                    rng.choice((_PURPOSE_FOLLOW_UP, _PURPOSE_SUPPORT)),
                    mode,
                    planned,
                    team,
                    minutes,
                )
        if status == FollowUpStatus.TO_CONTACT.value and rng.random() < 0.5:
            at, minutes = self.book(
                referent, today + timedelta(days=rng.randint(1, 30)), _MODE_OFFICE
            )
            planned = max(created, now - timedelta(days=rng.randint(1, 5)))
            self.appointment(
                out,
                ctx,
                referent,
                at,
                _APPT_PLANNED,
                _PURPOSE_ORIENTATION,
                _MODE_OFFICE,
                planned,
                team,
                minutes,
            )

        # occasional incidents and sensitive notes outside appointments
        if span > 30 and rng.random() < 0.08:
            at = self.slot(start_day + timedelta(days=rng.randint(10, max(10, span - 2))))
            if at < now and at.date() < end_day:
                self.note(out, ctx, who(at), at, _NOTE_INCIDENT, self.text(_INCIDENTS, ctx))
        if status == FollowUpStatus.SUSPENDED.value:
            at = self.slot(end_day)
            if at < now:
                sensitive = rng.random() < 0.3
                text = self.text(_SENSITIVE, ctx) if sensitive else rng.choice(_SUSPENSIONS)
                self.note(out, ctx, who(at), at, _NOTE_FOLLOW_UP, text, sensitive=sensitive)
                last_update = max(last_update, at)
        if closed_on is not None and closure_reason is not None:
            at = self.slot(closed_on)
            at = min(at, now - timedelta(hours=1))
            self.note(out, ctx, who(at), at, _NOTE_FOLLOW_UP, _EXITS[closure_reason])
            last_update = max(last_update, at)

        # assignments and the handover note
        if handover_at is not None and previous is not None:
            out.add(
                "referent_assignment",
                {
                    **self.synced(self.id(created), created, handover_at),
                    "person_id": person_id,
                    "referent_id": previous.id,
                    "started_at": created,
                    "ended_at": handover_at,
                    "handover_note": None,
                    "assigned_by_id": team.supervisor.id if team.supervisor else None,
                },
            )
            note_text = self.text(_HANDOVER, ctx, depuis=f"{start_day:%m/%Y}")
            out.add(
                "referent_assignment",
                {
                    **self.synced(self.id(handover_at), handover_at, handover_at),
                    "person_id": person_id,
                    "referent_id": referent.id,
                    "started_at": handover_at,
                    "ended_at": None,
                    "handover_note": note_text,
                    "assigned_by_id": team.supervisor.id if team.supervisor else None,
                },
            )
            self.note(
                out,
                ctx,
                team.supervisor or referent,
                handover_at,
                _NOTE_HANDOVER,
                note_text,
                audit_open=False,
            )
            last_update = max(last_update, handover_at)
        else:
            out.add(
                "referent_assignment",
                {
                    **self.synced(self.id(created), created, created),
                    "person_id": person_id,
                    "referent_id": referent.id,
                    "started_at": created,
                    "ended_at": None,
                    "handover_note": None,
                    "assigned_by_id": team.supervisor.id if team.supervisor else None,
                },
            )

        # extra file opens: preparing, phone calls not noted, supervisor reviews
        opens = int(rng.gauss(2.0, 1.0) * max(span, 30) / 365.25) + rng.randint(0, 2)
        for _ in range(max(0, opens)):
            at = self.between(created, min(now, self.slot(end_day)))
            self.audit(out, who(at), at, person_id)
        if team.supervisor is not None and rng.random() < 0.3:
            at = self.between(created, now)
            self.audit(out, team.supervisor, at, person_id)

        if contract_start is None or contract == ContractType.NONE.value:
            contract_start = contract_end = None
        # The accompaniment path (orientation decisions, contracts, plan hours, closing,
        # breaches), from its own random stream: the rest of the demo stays as it was.
        path = _PathDemo(
            self,
            person_id,
            status,
            orientation,
            contract,
            start_day,
            closed_on,
            closure_reason,
            referent,
            team,
        ).build(out)
        oriented: str | None = path.orientation
        contract = path.contract_type
        contract_start, contract_end = path.contract_start, path.contract_end
        if path.rights_opening is not None:
            rights_opening = path.rights_opening
        consent = first_contact if first_contact is not None else None
        out.tables["person"].append(
            {
                **self.synced(person_id, created, min(last_update, now)),
                "external_id": f"CD{self.dept.code}-{self.person_seq:07d}",
                "caf_number": None if rng.random() < 0.03 else f"{rng.randrange(10**7):07d}",
                "france_travail_id": (
                    f"{rng.randrange(10**7):07d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
                    if orientation != Orientation.SOCIAL.value and rng.random() < 0.8
                    else None
                ),
                "title": Title.MRS.value if female else Title.MR.value,
                "last_name": last,
                "birth_name": birth_name,
                "first_name": first,
                "birth_date": birth_date,
                "phone": None if rng.random() < 0.04 else self.phone(),
                "email": email,
                "address": address,
                "postal_code": postal_code,
                "city": city,
                "household": household,
                "children_count": children,
                "rsa_status": rsa,
                "rights_opening_date": rights_opening,
                "orientation": oriented,
                "contract_type": contract,
                "contract_start": contract_start,
                "contract_end": contract_end,
                "follow_up_status": status,
                "closed_on": closed_on,
                "closure_reason": closure_reason,
                "referent_id": referent.id,
                "team_id": team.id,
                "consent_given_on": consent,
                "information_given_on": consent
                if consent is not None
                else (start_day if rng.random() < 0.5 else None),
            }
        )

    # rows of one person ----------------------------------------------------------------------

    def text(self, templates: tuple[str, ...], ctx: _PersonContext, **extra: str) -> str:
        rng = self.rng
        theme = rng.choice(ctx.themes)
        values = {
            "prenom": ctx.first,
            "nom": ctx.last.upper(),
            "civ": ctx.civ,
            "ville": ctx.city,
            "partenaire": rng.choice(PARTNERS.get(theme, GENERIC_PARTNERS)),
            "frein": self.refs.label("theme", theme).lower(),
            "suite": rng.choice(_NEXT_STEPS).lower(),
            "date": "",
        }
        values.update(extra)
        return rng.choice(templates).format(**values)

    def meeting_text(self, ctx: _PersonContext, home: bool) -> tuple[str, str]:
        """(note text, appointment summary) of a seen appointment."""
        rng = self.rng
        opening = self.text(_OPENINGS_HOME if home else _OPENINGS_SEEN, ctx)
        themes = rng.sample(ctx.themes, k=min(len(ctx.themes), rng.choice((1, 1, 2))))
        body = [rng.choice(_THEME_SENTENCES.get(theme, _GENERIC_SENTENCES)) for theme in themes]
        if rng.random() < 0.4:
            body.append(rng.choice(_GENERIC_SENTENCES))
        nxt = rng.choice(_NEXT_STEPS)
        summary = body[0]
        return " ".join((opening, *body, nxt)), summary

    def appointment(
        self,
        out: _Rows,
        ctx: _PersonContext,
        referent: _Staff,
        at: datetime,
        status: str,
        purpose: str,
        mode: str,
        planned_at: datetime,
        team: _Team,
        duration: int | None = None,
    ) -> datetime:
        """Add an appointment (and its note, audit opens); returns when it was last touched."""
        rng, now = self.rng, self.now
        if duration is None:
            duration = (
                rng.choice((30, 45, 45, 45, 60, 60, 90))
                if mode != _MODE_PHONE
                else rng.choice((15, 20, 30))
            )
        created = min(planned_at, at - timedelta(hours=1), now - timedelta(minutes=5))
        recorded: datetime | None = None
        summary: str | None = None
        next_steps: str | None = None
        note: tuple[datetime, str, str] | None = None
        if status in (_APPT_SEEN, _APPT_NOSHOW):
            delay = timedelta(minutes=duration + rng.randint(0, 60 * 48))
            recorded = min(at + delay, now)
            if status == _APPT_SEEN:
                text, summary = self.meeting_text(ctx, mode == _MODE_HOME)
                if rng.random() < 0.5:
                    next_steps = rng.choice(_NEXT_STEPS)
                if rng.random() < 0.85:
                    kind = _NOTE_HOME_VISIT if mode == _MODE_HOME else _NOTE_FOLLOW_UP
                    note = (recorded, kind, text)
            elif rng.random() < 0.4:
                call = min(at + timedelta(days=rng.randint(1, 3)), now - timedelta(minutes=1))
                note = (
                    call,
                    _NOTE_CALL,
                    self.text(_NOSHOW_CALLS, ctx, date=f"{at.astimezone(PARIS):%d/%m}"),
                )
        elif status in (_APPT_EXCUSED, _APPT_REVOKED):
            recorded = at - timedelta(hours=rng.randint(1, 72))
            recorded = min(max(recorded, created), now)
            if status == _APPT_EXCUSED and rng.random() < 0.5:
                summary = rng.choice(
                    (
                        "Empêchement de dernière minute (enfant malade).",
                        "Rendez-vous médical au même moment.",
                        "Pas de moyen de transport ce jour-là.",
                    )
                )
            elif status == _APPT_REVOKED:
                summary = rng.choice(
                    ("Référent absent.", "Salle indisponible.", "Réunion de service imprévue.")
                )
        if mode == _MODE_OFFICE:
            place = f"Maison départementale des solidarités de {team.town}"
        elif mode == _MODE_HOME:
            place = ctx.address
        elif mode == _MODE_PARTNER:
            place = rng.choice(PARTNERS.get(rng.choice(ctx.themes), GENERIC_PARTNERS))
        else:
            place = None
        updated = recorded or created
        out.add(
            "appointment",
            {
                **self.synced(self.id(created), created, updated),
                "person_id": ctx.id,
                "referent_id": referent.id,
                "starts_at": at,
                "duration_minutes": duration,
                "mode": mode,
                "place": place,
                "purpose": purpose,
                "status": status,
                "outcome_recorded_at": recorded,
                "summary": summary,
                "next_steps": next_steps,
                # ~1 in 10 planned ones was moved already: who asked for it (issue 12)
                "requested_by": (
                    rng.choice(("person", "person", "service", "partner"))
                    if status == _APPT_PLANNED and at > now and rng.random() < 0.1
                    else None
                ),
            },
        )
        if at < now and rng.random() < 0.55:
            # the file is often opened to prepare the appointment
            self.audit(out, referent, at - timedelta(minutes=rng.randint(5, 240)), ctx.id)
        if note is not None:
            self.note(out, ctx, referent, note[0], note[1], note[2], audit_open=False)
        return updated

    def note(
        self,
        out: _Rows,
        ctx: _PersonContext,
        author: _Staff,
        at: datetime,
        kind: str,
        text: str,
        *,
        sensitive: bool = False,
        audit_open: bool = True,
    ) -> None:
        rng, now = self.rng, self.now
        at = min(at, now - timedelta(seconds=1))
        if (
            not sensitive
            and kind in (_NOTE_FOLLOW_UP, _NOTE_HOME_VISIT, _NOTE_CALL)
            and rng.random() < 0.05
        ):
            sensitive = True
            text = self.text(_SENSITIVE, ctx)
        if audit_open and rng.random() < 0.5:
            self.audit(out, author, at - timedelta(minutes=rng.randint(1, 10)), ctx.id)
        note_id = self.id(at)
        out.add(
            "note",
            {
                **self.synced(note_id, at, at),
                "person_id": ctx.id,
                "author_id": author.id,
                "written_at": at,
                "kind": kind,
                "text": text,
                "sensitive": sensitive,
                "supersedes_id": None,
            },
        )
        if sensitive and rng.random() < 0.3:
            reveal = self.between(at, now)
            self.audit(out, author, reveal, ctx.id, action=_AUDIT_REVEAL, detail=f"note {note_id}")
        if rng.random() < 0.01:
            fixed = min(at + timedelta(hours=rng.randint(1, 72)), now - timedelta(milliseconds=1))
            if fixed > at:
                out.add(
                    "note",
                    {
                        **self.synced(self.id(fixed), fixed, fixed),
                        "person_id": ctx.id,
                        "author_id": author.id,
                        "written_at": fixed,
                        "kind": kind,
                        "text": "Correction : " + text.replace(".", " (précision apportée).", 1),
                        "sensitive": sensitive,
                        "supersedes_id": note_id,
                    },
                )

    def audit(
        self,
        out: _Rows,
        actor: _Staff,
        at: datetime,
        person_id: uuid.UUID,
        *,
        action: str = _AUDIT_OPEN,
        detail: str | None = None,
    ) -> None:
        at = min(at, self.now - timedelta(milliseconds=1))
        out.add(
            "audit_event",
            {
                **self.synced(self.id(at), at, at),
                "occurred_at": at,
                "actor_id": actor.id,
                "device_id": actor.device_id,
                "person_id": person_id,
                "action": action,
                "detail": detail,
            },
        )

    def barriers(
        self,
        out: _Rows,
        ctx: _PersonContext,
        status: str,
        start_day: date,
        end_day: date,
        closure_reason: str | None,
    ) -> list[tuple[str, bool]]:
        """Add 1–4 barriers (and their actions); returns (theme, still open) pairs."""
        rng, refs, now = self.rng, self.refs, self.now
        count = rng.choice((1, 2, 2, 3, 3, 4))
        if status == FollowUpStatus.TO_CONTACT.value:
            count = min(count, 2)
        themes: list[str] = []
        weights = dict(self.themes)
        for _ in range(count):
            theme = _weighted(rng, weights)
            themes.append(theme)
            del weights[theme]
        result: list[tuple[str, bool]] = []
        span = max(1, (end_day - start_day).days)
        for index, theme in enumerate(themes):
            # the first barriers come from the diagnostic; later ones appear along the way
            offset = (
                rng.randint(0, 21) if index == 0 or rng.random() < 0.5 else rng.randint(0, span)
            )
            identified = min(start_day + timedelta(days=offset), end_day - timedelta(days=1))
            identified = max(identified, start_day)
            age = (end_day - identified).days
            if status == FollowUpStatus.TO_CONTACT.value:
                barrier_status = rng.choice(
                    (BarrierStatus.NOT_ADDRESSED.value, BarrierStatus.IDENTIFIED.value)
                )
            elif age > 365:
                barrier_status = _OLD_BARRIER_MIX.pick(rng)
            elif age > 120:
                barrier_status = _MIDDLE_BARRIER_MIX.pick(rng)
            else:
                barrier_status = _RECENT_BARRIER_MIX.pick(rng)
            closed_on: date | None = None
            if barrier_status in (BarrierStatus.LIFTED.value, BarrierStatus.ABANDONED.value):
                closed_on = identified + timedelta(days=rng.randint(14, max(14, age - 1)))
                closed_on = min(closed_on, end_day)
            if closure_reason is not None and closed_on is None:
                # the file was closed: barriers still open were closed with it
                barrier_status = (
                    BarrierStatus.LIFTED.value
                    if closure_reason
                    in (ClosureReason.EMPLOYMENT.value, ClosureReason.TRAINING.value)
                    else BarrierStatus.ABANDONED.value
                )
                closed_on = end_day
            is_open = closed_on is None
            situations = refs.situations_for(theme)
            chosen = (
                sorted(
                    e.code
                    for e in rng.sample(situations, k=min(len(situations), rng.choice((1, 1, 2))))
                )
                if situations
                else []
            )
            targets = refs.targets_for(theme)
            target_code = rng.choice(targets).code if targets and rng.random() < 0.9 else None
            target_text = (
                None if target_code else rng.choice(FREE_TARGETS.get(theme, GENERIC_FREE_TARGETS))
            )
            created = min(self.slot(identified), now - timedelta(hours=2))
            closed_at = (
                min(self.slot(closed_on), now - timedelta(hours=1)) if closed_on else created
            )
            barrier_id = self.id(created)
            out.add(
                "barrier",
                {
                    **self.synced(barrier_id, created, closed_at),
                    "person_id": ctx.id,
                    "theme": theme,
                    "situations": chosen,
                    "target_code": target_code,
                    "target_text": target_text,
                    "status": barrier_status,
                    "severity": rng.choice((1, 2, 2, 2, 3, 3)),
                    "identified_on": identified,
                    "closed_on": closed_on,
                    "comment": rng.choice(_BARRIER_COMMENTS) if rng.random() < 0.3 else None,
                },
            )
            result.append((theme, is_open))
            if (
                barrier_status != BarrierStatus.NOT_ADDRESSED.value
                and status != FollowUpStatus.TO_CONTACT.value
            ):
                self.actions(
                    out,
                    ctx,
                    theme,
                    barrier_id,
                    barrier_status,
                    identified,
                    closed_on or end_day,
                    is_open,
                    status,
                )
        return result

    def actions(
        self,
        out: _Rows,
        ctx: _PersonContext,
        theme: str,
        barrier_id: uuid.UUID,
        barrier_status: str,
        identified: date,
        until: date,
        barrier_open: bool,
        follow_up: str,
    ) -> None:
        rng, refs, now, today = self.rng, self.refs, self.now, self.today
        standard = refs.actions_for(theme)
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            start = identified + timedelta(
                days=rng.randint(0, max(0, min(30, (until - identified).days)))
            )
            start = min(start, today)
            if barrier_status == BarrierStatus.LIFTED.value:
                status = _LIFTED_ACTION_MIX.pick(rng)
            elif barrier_status == BarrierStatus.ABANDONED.value:
                status = _ABANDONED_ACTION_MIX.pick(rng)
            elif follow_up == FollowUpStatus.SUSPENDED.value:
                status = _SUSPENDED_ACTION_MIX.pick(rng)
            else:
                status = _OPEN_ACTION_MIX.pick(rng)
            is_open = status in (
                ActionStatus.PLANNED.value,
                ActionStatus.IN_PROGRESS.value,
                ActionStatus.STANDBY.value,
            )
            due = start + timedelta(days=rng.randint(30, 120))
            end: date | None = None
            if not is_open:
                end = start + timedelta(days=rng.randint(7, max(7, (until - start).days)))
                end = min(end, until, today)
                end = max(end, start)
            elif barrier_open:
                # about one open action in five is overdue
                if rng.random() < 0.2 and (today - start).days > 8:
                    due = start + timedelta(days=rng.randint(7, (today - start).days - 1))
                elif due < today:
                    due = today + timedelta(days=rng.randint(5, 120))
            if standard and rng.random() < 0.88:
                action_code: str | None = rng.choice(standard).code
                custom: str | None = None
            else:
                action_code = None
                custom = rng.choice(FREE_ACTIONS.get(theme, GENERIC_FREE_ACTIONS))
            created = min(self.slot(start), now - timedelta(hours=2))
            updated = min(self.slot(end), now - timedelta(hours=1)) if end else created
            out.add(
                "action",
                {
                    **self.synced(self.id(created), created, updated),
                    "person_id": ctx.id,
                    "barrier_id": barrier_id,
                    "theme": theme,
                    "action_code": action_code,
                    "custom_label": custom,
                    "partner": rng.choice(PARTNERS.get(theme, GENERIC_PARTNERS))
                    if rng.random() < 0.85
                    else None,
                    "partner_service_id": None,  # a free-text partner, not a directory service
                    "status": status,
                    "start_date": start,
                    "due_date": due,
                    "end_date": end,
                    "outcome": rng.choice(_OUTCOMES_DONE)
                    if status == ActionStatus.DONE.value
                    else None,
                    "contract_id": None,
                    "planned_minutes_week": None,
                    "done_minutes_week": None,
                },
            )


_LEGACY_CUTOFF = date(2025, 1, 1)
_PLAN_ACTIONS = (
    ("Ateliers de recherche d'emploi", "France Travail"),
    ("Immersion en entreprise (PMSMP)", None),
    ("Formation qualifiante", "GRETA"),
    ("Bénévolat associatif", "Secours populaire"),
    ("Démarches de soins", "CMP"),
    ("Accompagnement numérique", "Médiathèque"),
    ("Chantier d'insertion", "Atelier et chantier d'insertion"),
    ("Cours de français", "Centre social"),
)
_CLOSURE_TO_EXIT = {
    "emploi": "emploi_durable",
    "formation": "formation",
    "demenagement": "demenagement",
    "fin_droits": "radiation",
    "reorientation": "autre",
    "autre": "autre",
}
_EXIT_OUTCOMES = {
    "emploi_durable": "Embauche en CDI, période d'essai validée.",
    "formation": "Entrée en formation qualifiante rémunérée.",
    "demenagement": "Déménagement hors du département : dossier transmis.",
    "radiation": "Fin de droit au RSA.",
    "deces": "Décès.",
    "autre": "Fin d'accompagnement.",
}
_STRUCTURES = {
    "social": "Service social départemental",
    "socio_professional": "Association d'insertion",
    "professional": "France Travail",
}


@dataclass
class _PathResult:
    orientation: str | None
    contract_type: str
    contract_start: date | None
    contract_end: date | None
    rights_opening: date | None = None


class _PathDemo:
    """One person's accompaniment path, consistent with the rest of the file.

    Most are on time; some are late (orientation, contract); social-track persons are
    reviewed at six or twelve months; a few plans are below the 15-hour floor (with a
    reason when the floor is lowered, or simply short); older files keep their CER, PPAE,
    CEJ or PACEA until converted."""

    def __init__(
        self,
        gen: _Generator,
        person_id: uuid.UUID,
        status: str,
        orientation: str,
        contract: str,
        start_day: date,
        closed_on: date | None,
        closure_reason: str | None,
        referent: _Staff,
        team: _Team,
    ) -> None:
        self.gen = gen
        self.rng = random.Random(f"{gen.spec.seed}:path:{person_id}")
        self.person_id = person_id
        self.status = status
        self.orientation = orientation
        self.contract = contract
        self.start_day = start_day
        self.closed_on = closed_on
        self.closure_reason = closure_reason
        self.referent = referent
        self.team = team
        self.today = gen.today
        self.end_day = closed_on or gen.today

    def at(self, day: date) -> datetime:
        moment = datetime.combine(day, time(9 + self.rng.randint(0, 8), 0), tzinfo=PARIS)
        return min(moment.astimezone(UTC), self.gen.now - timedelta(minutes=30))

    def row(self, day: date) -> dict[str, Any]:
        """Synced columns of a row created on ``day``; its id carries that instant."""
        created = self.at(day)
        row_id = id_at(_ms(created), self.rng.getrandbits(74))
        return _Generator.synced(row_id, created, created)

    def build(self, out: _Rows) -> _PathResult:
        result = self._build(out)
        if self.closed_on is not None:
            self.closing(out)
        return result

    def _build(self, out: _Rows) -> _PathResult:
        rng, today = self.rng, self.today
        if self.status == FollowUpStatus.TO_CONTACT.value:
            return self._newcomer(out)
        decided = min(self.start_day + timedelta(days=rng.randint(0, 10)), today)
        latest = self.decision(out, self.orientation, decided)
        if self.orientation == Orientation.SOCIAL.value:
            obstacle = (
                rng.choice(("sante", "logement", "situation_familiale", "handicap"))
                if rng.random() < 0.45
                else None
            )
            months = 12 if obstacle else 6
            back = rng.randint(400, 440) if obstacle else rng.randint(200, 230)
            if rng.random() >= 0.12:
                back = rng.randint(10, 30 * months - 10)
            review = self.end_day - timedelta(days=back)
            if review > decided + timedelta(days=30):
                latest = self.decision(out, self.orientation, review, obstacle=obstacle)
        result = _PathResult(self.orientation, ContractType.NONE.value, None, None)
        if self.contract == ContractType.NONE.value:
            return result
        legacy = self.contract in ("cer", "ppae", "cej", "pacea")
        if legacy and decided < _LEGACY_CUTOFF and rng.random() < 0.6:
            signed = min(
                decided + timedelta(days=rng.randint(7, 28)),
                _LEGACY_CUTOFF - timedelta(days=rng.randint(1, 40)),
            )
            signed = max(signed, decided)
            state = "ended" if self.closed_on is not None else "signed"
            # Older contracts stay valid for two years after the law: to 31 December 2026.
            ends = self.closed_on or date(2026, 12, 31)
            self.contract_row(
                out, self.contract, 1, None, state, signed, max(ends, signed), decided=latest
            )
            return _PathResult(self.orientation, self.contract, signed, max(ends, signed))
        return self.engagement(out, latest, result)

    def _newcomer(self, out: _Rows) -> _PathResult:
        rng, today = self.rng, self.today
        if rng.random() < 0.6:
            # Not yet oriented: the six weeks run (one in five is late).
            back = rng.randint(45, 75) if rng.random() < 0.2 else rng.randint(3, 38)
            return _PathResult(
                None,
                ContractType.NONE.value,
                None,
                None,
                rights_opening=today - timedelta(days=back),
            )
        # Oriented lately: the contract's month runs (some late).
        decided = today - timedelta(days=rng.randint(2, 50))
        self.decision(out, self.orientation, decided)
        return _PathResult(
            self.orientation,
            ContractType.NONE.value,
            None,
            None,
            rights_opening=decided - timedelta(days=rng.randint(10, 40)),
        )

    def decision(
        self, out: _Rows, track: str, decided: date, obstacle: str | None = None
    ) -> tuple[uuid.UUID, date, date]:
        rng = self.rng
        notified = min(decided + timedelta(days=rng.randint(1, 6)), self.today)
        row = self.row(decided)
        row_id: uuid.UUID = row["id"]
        impacts = ("fort", "moyen", "sans_impact")
        weights = {
            "social": (0.5, 0.3, 0.2),
            "socio_professional": (0.2, 0.5, 0.3),
            "professional": (0.05, 0.25, 0.7),
        }[track]
        out.add(
            "orientation_decision",
            {
                **row,
                "person_id": self.person_id,
                "track": track,
                "worked_last_two_years": rng.random() < (0.7 if track == "professional" else 0.25),
                "can_picture_job": rng.random() < (0.85 if track != "social" else 0.3),
                "qualification_level": rng.choice(
                    ("aucun", "niveau_1_2", "niveau_3", "niveau_3", "niveau_4", "niveau_5")
                ),
                **{
                    column: rng.choices(impacts, weights)[0]
                    for column in (
                        "impact_health",
                        "impact_housing",
                        "impact_mobility",
                        "impact_childcare",
                        "impact_caregiving",
                        "impact_other",
                    )
                },
                "review_obstacle": obstacle,
                "structure_id": None,
                "structure_name": _STRUCTURES[track],
                "decided_by_id": None,
                "decided_by_name": "Président du conseil départemental (par délégation)",
                "decided_on": decided,
                "notified_on": notified,
                "request_id": None,
                "comment": None,
            },
        )
        return row_id, decided, notified

    def contract_row(
        self,
        out: _Rows,
        contract_type: str,
        version: int,
        previous: uuid.UUID | None,
        state: str,
        signed: date | None,
        ends: date | None,
        *,
        decided: tuple[uuid.UUID, date, date],
        starts: date | None = None,
        floor: int = 900,
        reason: str | None = None,
    ) -> uuid.UUID:
        row = self.row(signed or self.today)
        row_id: uuid.UUID = row["id"]
        out.add(
            "engagement_contract",
            {
                **row,
                "person_id": self.person_id,
                "contract_type": contract_type,
                "version": version,
                "previous_id": previous,
                "state": state,
                "orientation_id": decided[0],
                "starts_on": starts or signed,
                "ends_on": ends,
                "signed_on": signed,
                "objectives": "Retrouver une activité durable et lever les freins identifiés.",
                "weekly_floor_minutes": floor,
                "floor_reason": reason,
                "floor_comment": None,
            },
        )
        return row_id

    def engagement(
        self, out: _Rows, latest: tuple[uuid.UUID, date, date], result: _PathResult
    ) -> _PathResult:
        rng, today = self.rng, self.today
        notified = latest[2]
        base = max(notified, _LEGACY_CUTOFF + timedelta(days=rng.randint(5, 200)))
        roll = rng.random()
        delay = rng.randint(5, 27) if roll < 0.85 else rng.randint(33, 60)
        signed = base + timedelta(days=delay)
        floor, reason = 900, None
        if rng.random() < (0.35 if self.orientation == "social" else 0.12):
            reason = rng.choice(("sante", "handicap", "parent_isole_sans_garde", "invalidite"))
            floor = 0 if reason == "invalidite" else rng.choice((300, 420, 600))
        version, previous = 1, None
        if signed > min(today, self.end_day) or roll > 0.97:
            # Not signed yet: a draft waiting for its signature (late or not).
            contract_id = self.contract_row(
                out,
                "contrat_engagement",
                1,
                None,
                "draft",
                None,
                None,
                decided=latest,
                starts=None,
                floor=floor,
                reason=reason,
            )
            self.plan(out, contract_id, floor, draft=True)
            return result
        ends = signed + timedelta(days=365 if rng.random() < 0.7 else 182)
        while ends < self.end_day and version < 6:
            contract_id = self.contract_row(
                out,
                "contrat_engagement",
                version,
                previous,
                "renewed",
                signed,
                ends,
                decided=latest,
                floor=floor,
                reason=reason,
            )
            previous, version = contract_id, version + 1
            signed = ends - timedelta(days=rng.randint(0, 10))
            ends = signed + timedelta(days=365)
        exited = self.closed_on is not None
        state = "ended" if exited else "signed"
        contract_id = self.contract_row(
            out,
            "contrat_engagement",
            version,
            previous,
            state,
            signed,
            self.closed_on or ends,
            decided=latest,
            floor=floor,
            reason=reason,
        )
        self.plan(out, contract_id, floor, draft=False, ended=exited)
        if exited:
            pass
        elif self.status == FollowUpStatus.FOLLOWED.value and rng.random() < 0.05:
            self.breach(out, contract_id, signed)
        elif self.status == FollowUpStatus.FOLLOWED.value and rng.random() < 0.04:
            self.request(out, latest)
        return _PathResult(self.orientation, "contrat_engagement", signed, self.closed_on or ends)

    def plan(
        self,
        out: _Rows,
        contract_id: uuid.UUID,
        floor: int,
        *,
        draft: bool,
        ended: bool = False,
    ) -> None:
        rng = self.rng
        target = max(floor, 60)
        short = rng.random() < 0.15
        if short:
            target = max(60, floor - rng.choice((120, 240, 360)))
        chosen = rng.sample(_PLAN_ACTIONS, rng.randint(2, 4))
        remaining = target + (0 if short else rng.choice((0, 0, 60, 120)))
        for index, (label, partner) in enumerate(chosen):
            last = index == len(chosen) - 1
            minutes = remaining if last else min(remaining, rng.choice((120, 180, 240, 300)))
            minutes = max(0, minutes)
            remaining -= minutes
            start = min(self.today, self.end_day)
            start = start - timedelta(days=rng.randint(0, 60))
            row = self.row(start)
            status = "cancelled" if ended else ("planned" if draft else "in_progress")
            out.add(
                "action",
                {
                    **row,
                    "person_id": self.person_id,
                    "barrier_id": None,
                    "theme": None,
                    "action_code": None,
                    "custom_label": label,
                    "partner": partner,
                    "partner_service_id": None,
                    "status": status,
                    "start_date": start,
                    "due_date": None,
                    "end_date": self.closed_on if ended else None,
                    "outcome": None,
                    "contract_id": contract_id,
                    "planned_minutes_week": minutes,
                    "done_minutes_week": None
                    if draft
                    else 15 * round(minutes * rng.uniform(0.4, 1.0) / 15),
                },
            )

    def closing(self, out: _Rows) -> None:
        assert self.closed_on is not None
        reason = _CLOSURE_TO_EXIT.get(self.closure_reason or "autre", "autre")
        out.add(
            "closing_review",
            {
                **self.row(self.closed_on),
                "person_id": self.person_id,
                "closed_on": self.closed_on,
                "exit_reason": reason,
                "outcome": _EXIT_OUTCOMES[reason],
                "author_id": self.referent.id,
            },
        )

    def breach(self, out: _Rows, contract_id: uuid.UUID, signed: date) -> None:
        rng = self.rng
        occurred = max(signed, self.today - timedelta(days=rng.randint(15, 90)))
        invited = min(occurred + timedelta(days=rng.randint(2, 8)), self.today)
        decided = rng.random() < 0.5 and invited + timedelta(days=15) <= self.today
        decision_on = invited + timedelta(days=15) if decided else None
        synced = self.row(occurred)
        kind = rng.choice(("rdv_manque", "rdv_manque", "activite_refusee", "heures_non_realisees"))
        observations = rng.choice(
            (
                "Dit ne pas avoir reçu la convocation.",
                "Enfant malade, pas de solution de garde ce jour-là.",
                None,
            )
        )
        corrected_at = None
        if decision_on is not None and kind == "heures_non_realisees":
            # A decision mistyped then corrected (50 % for 30 %): the wrong one stays, as a
            # tombstoned version deleted at the instant the correction was created. No draw
            # of ``rng`` here, so that the rest of the demo is the same.
            moment = datetime.combine(decision_on + timedelta(days=2), time(11), tzinfo=PARIS)
            corrected_at = min(moment.astimezone(UTC), self.gen.now - timedelta(minutes=20))
        if corrected_at is not None and corrected_at > synced["created_at"]:
            first, old_id = synced["created_at"], synced["id"]
            new_id = id_at(_ms(corrected_at), (old_id.int >> 1) & ((1 << 74) - 1))
            synced = _Generator.synced(new_id, corrected_at, corrected_at)
        else:
            corrected_at = None
        values = {
            "person_id": self.person_id,
            "contract_id": contract_id,
            "kind": kind,
            "occurred_on": occurred,
            "invited_on": invited,
            "observations": observations,
        }
        if corrected_at is not None:
            out.add(
                "breach",
                {
                    **_Generator.synced(old_id, first, corrected_at),
                    "deleted_at": corrected_at,
                    **values,
                    "decision": "suspension_partielle",
                    "decision_on": decision_on,
                    "decision_percent": 50,
                    "decision_months": 1,
                    "remobilised_on": decision_on + timedelta(days=30) if decision_on else None,
                    "sensitive": True,
                    "author_id": self.referent.id,
                },
            )
        out.add(
            "breach",
            {
                **synced,
                **values,
                "decision": "suspension_partielle" if decided else None,
                "decision_on": decision_on,
                "decision_percent": 30 if decided else None,
                "decision_months": 1 if decided else None,
                "remobilised_on": decision_on + timedelta(days=30) if decision_on else None,
                "sensitive": True,
                "author_id": self.referent.id,
            },
        )

    def request(self, out: _Rows, latest: tuple[uuid.UUID, date, date]) -> None:
        rng = self.rng
        requested = max(latest[1], self.today - timedelta(days=rng.randint(2, 20)))
        target = "social" if self.orientation != "social" else "socio_professional"
        out.add(
            "reorientation_request",
            {
                **self.row(requested),
                "person_id": self.person_id,
                "requested_track": target,
                "reason": "Problèmes de santé apparus depuis l'orientation : parcours à adapter.",
                "requested_on": requested,
                "requested_by_id": self.referent.id,
                "status": "pending",
                "answered_on": None,
                "answer_comment": None,
                "decision_id": None,
            },
        )


@dataclass
class _PersonContext:
    id: uuid.UUID
    first: str
    last: str
    civ: str
    city: str
    address: str
    themes: list[str] = field(default_factory=list)


def generate(spec: DemoSpec) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Yield ``(table_name, rows)`` batches (≤ 5,000 rows) in an order that satisfies the
    foreign keys: structure, teams, referents, then for each chunk of persons: person,
    referent_assignment, appointment, barrier, action, note, audit_event.
    """
    generator = _Generator(spec)
    yield from generator.organisation()
    yield from generator.persons()


def _grouped(
    batches: Iterator[tuple[str, list[dict[str, Any]]]], limit: int
) -> Iterator[list[tuple[str, list[dict[str, Any]]]]]:
    """Consecutive batches, grouped until they hold at least ``limit`` rows."""
    group: list[tuple[str, list[dict[str, Any]]]] = []
    size = 0
    for batch in batches:
        group.append(batch)
        size += len(batch[1])
        if size >= limit:
            yield group
            group, size = [], 0
    if group:
        yield group


def load_into_store(
    store: Store,
    spec: DemoSpec,
    *,
    acting_username: str | None = DEMO_REFERENT,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Insert the demo as data received from the server, then refresh the caseload summaries.

    Rows go in with bulk Core inserts, batch by batch, inside ``store.apply_remote()``
    transactions of about 25,000 rows, so no outbox entry is created. ``progress`` is
    called after each batch with the number of rows inserted so far (see
    :func:`estimated_rows` for the total). When ``acting_username`` is given (checked before
    anything is written), the device's user becomes that staff member (device state
    ``user_id`` and ``user_role``). Returns the number of rows inserted per table.
    """
    counts = {name: 0 for name in TABLE_ORDER}
    tables: dict[str, Table] = {
        name: model.__table__  # type: ignore[attr-defined]
        for name, model in SYNCED_MODELS.items()
    }
    person_ids: list[uuid.UUID] = []
    acting: tuple[uuid.UUID, str] | None = None
    inserted = 0
    stream = generate(spec)
    # The staff comes first: check the acting user before writing anything.
    head: list[tuple[str, list[dict[str, Any]]]] = []
    for table_name, rows in stream:
        head.append((table_name, rows))
        if table_name == "referent":
            break
    if acting_username is not None:
        for _, rows in head:
            for row in rows:
                if row.get("username") == acting_username:
                    acting = (row["id"], row["role"])
        if acting is None:
            raise ValueError(f"Utilisateur de démonstration inconnu : {acting_username!r}.")
    for group in _grouped(itertools.chain(head, stream), ROWS_PER_TRANSACTION):
        with store.apply_remote() as session:
            for table_name, rows in group:
                if table_name == "person":
                    if acting is not None and acting[1] == Role.REFERENT.value:
                        # What the server would never send a referent: the persons waiting
                        # without a referent in a supervisor's queue (issue 14).
                        rows = [row for row in rows if row["referent_id"] is not None]
                        if not rows:
                            continue
                    person_ids.extend(row["id"] for row in rows)
                session.execute(insert(tables[table_name]), rows)
                counts[table_name] += len(rows)
                inserted += len(rows)
                if progress is not None:
                    progress(inserted)
    with store.apply_remote() as session:
        refresh_summaries(session, person_ids, reference_now(spec))
        if acting is not None:
            store.set_state(session, "user_id", str(acting[0]))
            store.set_state(session, "user_role", acting[1])
    return counts
