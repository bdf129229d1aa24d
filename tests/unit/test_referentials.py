"""Reference lists: content, stable codes, lookups, validation at load, build script."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spie_desktop.domain import enums
from spie_desktop.domain.referentials import (
    Entry,
    Referentials,
    get_referentials,
    load_referentials,
)
from spie_desktop.errors import UnknownCodeError, ValidationError
from spie_desktop.resources import resource_path

REF_DIR = resource_path("referentials")
BUILD_SCRIPT = REF_DIR / "build_referentials.py"


def _load_build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_referentials", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()
SHARED_DIR: Path = build.default_shared_dir()
needs_shared = pytest.mark.skipif(
    not (SHARED_DIR / build.SOURCE_FILE).is_file(),
    reason="shared Carnet de bord data not available (set SPIE_SHARED_DATA)",
)


@pytest.fixture(scope="module")
def refs() -> Referentials:
    return get_referentials()


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _broken_copy(tmp_path: Path, file: str, mutate: Callable[[dict[str, Any]], None]) -> Path:
    root = tmp_path / "referentials"
    shutil.copytree(REF_DIR, root)
    doc = _read(root / file)
    mutate(doc)
    (root / file).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return root


# -- content ----------------------------------------------------------------------------------


def test_counts(refs: Referentials) -> None:
    assert len(refs.themes) == 16
    assert len(refs.targets) == 58
    assert len(refs.situations) == 88
    assert len(refs.actions) == 134


def test_files_name_their_source() -> None:
    for name in ("carnet-de-bord.json", "statuses.json"):
        source = _read(REF_DIR / name)["source"]
        assert isinstance(source, str) and source.strip()
    assert "Apache-2.0" in _read(REF_DIR / "carnet-de-bord.json")["source"]


def test_codes_unique_and_well_formed(refs: Referentials) -> None:
    for kind in refs.kinds:
        codes = [e.code for e in refs.entries(kind)]
        assert len(codes) == len(set(codes)), kind
        assert refs.codes(kind) == frozenset(codes)
    pattern = re.compile(r"^[a-z0-9_]+\.[a-z0-9]+(_[a-z0-9]+)*$")
    for entries in (refs.targets, refs.situations, refs.actions):
        for e in entries:
            assert pattern.match(e.code), e.code
            assert e.theme is not None and e.code.startswith(f"{e.theme}.")
            assert len(e.code.split(".", 1)[1]) <= 60 + len("_99")


def test_codes_are_stable(refs: Referentials) -> None:
    """Codes are stored in databases: these must never change."""
    assert refs.themes[0] == Entry(
        "choisir_un_metier", "Choisir un métier", None, "Choose an occupation"
    )
    assert refs.is_valid(
        "situation", "contraintes_familiales.aidant_familial_s_occuper_d_un_proche"
    )
    assert refs.is_valid("situation", "difficulte_financiere.sans_aucune_ressource")
    # truncated to 60 characters, trailing "_" trimmed
    assert refs.is_valid(
        "situation", "emploi.autoentrepreneur_travailleur_independant_conjoint_collaborat"
    )
    assert refs.is_valid("action", "contraintes_familiales.acces_a_un_mode_de_garde")


def test_labels_verbatim_with_accents(refs: Referentials) -> None:
    source = _read(REF_DIR / "carnet-de-bord.json")
    assert [e.label for e in refs.actions] == [a["label"] for a in source["actions"]]
    assert refs.label("theme", "maitrise_langue") == "Maîtrise de la langue française"
    assert (
        refs.label("situation", "contraintes_familiales.aidant_familial_s_occuper_d_un_proche")
        == "Aidant familial (s’occuper d’un proche)"
    )
    assert refs.label("appointment_status", "planned") == "À venir"
    assert refs.label("barrier_severity", "3") == "Fort"
    assert refs.label("contract_type", "cer") == "Contrat d'engagement réciproque (CER)"
    # labels are stored composed (NFC), as typed by a person
    for kind in refs.kinds:
        for e in refs.entries(kind):
            assert unicodedata.is_normalized("NFC", e.label), e


@needs_shared
def test_committed_json_matches_shared_source(refs: Referentials) -> None:
    raw = _read(SHARED_DIR / build.SOURCE_FILE)
    assert [(e.code, e.label) for e in refs.themes] == [
        (t["code"], t["label"]) for t in raw["themes"]
    ]
    for entries, key in (
        (refs.targets, "targets"),
        (refs.situations, "situations"),
        (refs.actions, "actions"),
    ):
        assert [(e.theme, e.label) for e in entries] == [(x["theme"], x["label"]) for x in raw[key]]


ENUM_KINDS: dict[str, type[StrEnum]] = {
    "appointment_status": enums.AppointmentStatus,
    "appointment_mode": enums.AppointmentMode,
    "appointment_purpose": enums.AppointmentPurpose,
    "orientation": enums.Orientation,
    "contract_type": enums.ContractType,
    "rsa_status": enums.RsaStatus,
    "follow_up_status": enums.FollowUpStatus,
    "closure_reason": enums.ClosureReason,
    "barrier_status": enums.BarrierStatus,
    "action_status": enums.ActionStatus,
    "note_kind": enums.NoteKind,
    "household": enums.Household,
    "title": enums.Title,
    "role": enums.Role,
    "audit_action": enums.AuditAction,
    "orientation_impact": enums.OrientationImpact,
    "qualification_level": enums.QualificationLevel,
    "reorientation_status": enums.ReorientationStatus,
    "contract_state": enums.ContractState,
    "floor_reason": enums.FloorReason,
    "exit_reason": enums.ExitReason,
    "breach_kind": enums.BreachKind,
    "remobilisation_decision": enums.RemobilisationDecision,
    "review_obstacle": enums.ReviewObstacle,
}


@pytest.mark.parametrize("kind", sorted(ENUM_KINDS))
def test_statuses_match_code_enums(refs: Referentials, kind: str) -> None:
    """Every enumeration of the code has a label, in the enum's order, and nothing more."""
    assert [e.code for e in refs.enums[kind]] == [m.value for m in ENUM_KINDS[kind]]


def test_every_status_list_present(refs: Referentials) -> None:
    assert set(refs.enums) == set(ENUM_KINDS) | {
        "barrier_severity",
        "orientation_criterion",
        "path_alert",
    }
    assert [e.code for e in refs.enums["barrier_severity"]] == ["1", "2", "3"]


# -- lookups ----------------------------------------------------------------------------------


def test_unknown_code_refused(refs: Referentials) -> None:
    with pytest.raises(UnknownCodeError) as info:
        refs.require("theme", "xyz")
    assert info.value.message == "Code inconnu pour thème : 'xyz'."
    assert info.value.field == "theme"
    assert info.value.code == "unknown_code"
    with pytest.raises(UnknownCodeError):
        refs.label("appointment_status", "cancelled")
    with pytest.raises(UnknownCodeError):
        refs.targets_for("nope")
    assert not refs.is_valid("action", "logement")
    assert refs.require("rsa_status", "clos") == "clos"


def test_unknown_kind_is_a_programming_error(refs: Referentials) -> None:
    with pytest.raises(ValueError):
        refs.is_valid("colour", "red")


def test_themed_lists(refs: Referentials) -> None:
    for theme in refs.codes("theme"):
        for getter, entries in (
            (refs.targets_for, refs.targets),
            (refs.situations_for, refs.situations),
            (refs.actions_for, refs.actions),
        ):
            subset = getter(theme)
            assert all(e.theme == theme for e in subset)
            assert subset == tuple(e for e in entries if e.theme == theme)
    assert sum(len(refs.actions_for(t)) for t in refs.codes("theme")) == 134
    assert refs.situations_for("logement")


# -- appointment transitions ------------------------------------------------------------------

OUTCOMES = ("seen", "excused", "revoked", "noshow")


def test_transitions_documented(refs: Referentials) -> None:
    statuses = [e.code for e in refs.enums["appointment_status"]]
    for dst in OUTCOMES:
        assert refs.can_transition("planned", dst)
    for src in statuses:
        assert not refs.can_transition(src, "planned"), src
        assert not refs.can_transition(src, src), src
    # corrections between outcomes
    for src in OUTCOMES:
        for dst in OUTCOMES:
            assert refs.can_transition(src, dst) == (src != dst)
    assert refs.can_transition("seen", "noshow") and refs.can_transition("noshow", "seen")
    assert refs.can_transition("excused", "revoked") and refs.can_transition("revoked", "excused")
    assert not refs.can_transition("unknown", "seen")
    note = _read(REF_DIR / "statuses.json")["appointment_transitions"]["note"]
    assert "planned" in note


# -- validation at load -----------------------------------------------------------------------


def test_load_from_explicit_root_equals_default() -> None:
    refs = load_referentials(REF_DIR)
    assert refs.actions == get_referentials().actions
    assert get_referentials() is get_referentials()


def test_duplicate_code_refused(tmp_path: Path) -> None:
    def dup(doc: dict[str, Any]) -> None:
        doc["targets"][1]["code"] = doc["targets"][0]["code"]

    root = _broken_copy(tmp_path, "carnet-de-bord.json", dup)
    with pytest.raises(ValidationError, match=r"carnet-de-bord\.json.*targets\[1\].*en double"):
        load_referentials(root)


def test_unknown_theme_refused(tmp_path: Path) -> None:
    def bad_theme(doc: dict[str, Any]) -> None:
        doc["actions"][5]["theme"] = "astrologie"

    root = _broken_copy(tmp_path, "carnet-de-bord.json", bad_theme)
    with pytest.raises(ValidationError, match=r"actions\[5\].*astrologie"):
        load_referentials(root)


@pytest.mark.parametrize(
    ("mutate", "pattern"),
    [
        (lambda d: d["role"].append({"code": "admin", "label": "Bis"}), r"role\[3\].*double"),
        (lambda d: d["title"][0].update(label="  "), r"title\[0\].*libellé"),
        (lambda d: d["household"][1].update(code=""), r"household\[1\].*code"),
        (lambda d: d["appointment_transitions"]["allowed"]["planned"].append("lost"), r"lost"),
        (lambda d: d["appointment_transitions"]["allowed"].update(ghost=["seen"]), r"ghost"),
        (lambda d: d["appointment_transitions"]["allowed"]["seen"].append("seen"), r"même"),
        (lambda d: d.pop("appointment_transitions"), r"appointment_transitions"),
        (lambda d: d.pop("source"), r"source"),
        (lambda d: d.update(orientation=[]), r"orientation"),
    ],
)
def test_broken_statuses_refused(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], pattern: str
) -> None:
    root = _broken_copy(tmp_path, "statuses.json", mutate)
    with pytest.raises(ValidationError, match=r"statuses\.json") as info:
        load_referentials(root)
    assert re.search(pattern, info.value.message), info.value.message


def test_missing_and_malformed_files_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="introuvable"):
        load_referentials(tmp_path)
    root = tmp_path / "referentials"
    shutil.copytree(REF_DIR, root)
    (root / "statuses.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"statuses\.json"):
        load_referentials(root)


# -- build script -----------------------------------------------------------------------------


@needs_shared
def test_build_is_deterministic_and_matches_committed(tmp_path: Path) -> None:
    first = build.write(tmp_path / "a", SHARED_DIR)
    second = build.write(tmp_path / "b", SHARED_DIR)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == (REF_DIR / "carnet-de-bord.json").read_bytes()


def test_build_codes_and_collisions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    long_label = "Très " * 30
    raw = {
        "source": "test",
        "themes": [{"code": "logement", "label": "Logement"}],
        "targets": [
            {"theme": "logement", "label": "Accéder à un logement"},
            {"theme": "logement", "label": "accéder — à un LOGEMENT !"},
            {"theme": "logement", "label": "Accéder à un logement?"},
            {"theme": "logement", "label": long_label},
        ],
        "situations": [{"theme": "logement", "label": "Accéder à un logement"}],
        "actions": [],
    }
    (shared / build.SOURCE_FILE).write_text(json.dumps(raw), encoding="utf-8")
    codes = [
        "logement.acceder_a_un_logement",
        "logement.acceder_a_un_logement_2",
        "logement.acceder_a_un_logement_3",
        "logement." + ("tres_" * 12).rstrip("_"),
    ]
    english = {
        "themes": {"logement": "Housing"},
        "targets": {code: f"Target {n}" for n, code in enumerate(codes)},
        "situations": {"logement.acceder_a_un_logement": "Access housing"},
        "actions": {},
    }
    (shared / "en.json").write_text(json.dumps(english), encoding="utf-8")
    doc = build.build(shared, shared / "en.json")
    assert [t["code"] for t in doc["targets"]] == codes
    assert [t["label_en"] for t in doc["targets"]] == [
        "Target 0",
        "Target 1",
        "Target 2",
        "Target 3",
    ]
    # collisions are counted per kind
    assert doc["situations"][0]["code"] == "logement.acceder_a_un_logement"
    assert doc["targets"][1]["label"] == "accéder — à un LOGEMENT !"


@needs_shared
@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda en: en["actions"].pop(next(iter(en["actions"]))), "missing"),
        (lambda en: en["themes"].__setitem__("no_such_theme", "Nothing"), "unknown"),
        (lambda en: en["situations"].__setitem__(next(iter(en["situations"])), "  "), "empty"),
        (lambda en: en.pop("targets"), "targets"),
    ],
)
def test_build_refuses_incomplete_or_stray_english_labels(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], message: str
) -> None:
    """An upstream label with no English one, an English one for no code, a blank one: the
    build stops (the English UI would otherwise show French) and writes nothing."""
    english = _read(REF_DIR / build.ENGLISH_FILE)
    mutate(english)
    path = tmp_path / "en.json"
    path.write_text(json.dumps(english, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        build.write(tmp_path / "out", SHARED_DIR, path)
    assert not (tmp_path / "out" / build.OUTPUT_FILE).exists()


def test_build_reads_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPIE_SHARED_DATA", str(tmp_path))
    assert build.default_shared_dir() == tmp_path


@given(st.text())
def test_slugify_shape(label: str) -> None:
    slug = build.slugify(label)
    assert re.fullmatch(r"([a-z0-9]+(_[a-z0-9]+)*)?", slug)
    assert len(slug) <= 60
    assert build.slugify(label) == slug
