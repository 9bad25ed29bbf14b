"""The model registry on a real database: versions numbered per model, the first one active only if it beats its
baseline, a candidate promoted automatically only when it beats the active version on the same rows, roll back
to the version active before, and an artefact whose checksum no longer matches refused.

The artefacts here are small dicts and the judge compares their "auc" entries: the registry stores whatever
joblib can dump, and the real judge (core.ml.service_training) scores two trained models on one holdout, which
tests/integration/test_ml_service.py covers end to end.
"""

import os
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, inspect, select, text, update

from core.accounts import Actor
from core.audit import AuditFilter, find_entries
from core.ml import registry
from core.ml.promotion import AgainstActive
from core.ml.registry import ArtefactDamaged, ArtefactTooLarge, NewVersion, RegistryError
from core.ml.service_versions import activate_version, register_trained, roll_back
from core.ml.service_views import model_overview
from core.persistence.ml_tables import MlModelVersion

T0 = datetime(2026, 3, 2, 6, tzinfo=timezone.utc)
ADMIN = Actor("admin-ana", "10.0.0.5")


def clock_at(moment):
    return lambda: moment


def new_version(auc: float, model: str = "downtime_risk") -> NewVersion:
    return NewVersion(
        model=model, trained_by="cli:test", train_start=T0 - timedelta(days=28), train_end=T0 - timedelta(days=7),
        holdout_start=T0 - timedelta(days=7), holdout_end=T0, features=("hour_of_day", "machine"),
        metrics={"roc_auc": auc, "brier": 0.1, "precision_at_k": float("nan")},
        baseline_metrics={"roc_auc": 0.6, "brier": 0.12}, artefact={"auc": auc, "weights": list(range(50))},
        parameters={"stop_minutes": 10.0}, drift_reference={"rows": 3, "features": {}})


def judge_by_auc(candidate_auc: float):
    def judge(active_artefact, active_number: int) -> AgainstActive:
        beats = candidate_auc > active_artefact["auc"]
        words = "beats" if beats else "does not beat"
        return AgainstActive(active_number, beats, f"{words} the active version {active_number}: ROC-AUC "
                                                   f"{candidate_auc:.2f} against {active_artefact['auc']:.2f}")
    return judge


def train(db, auc: float, beats_baseline: bool = True, at: datetime = T0, model: str = "downtime_risk"):
    sentence = ("beats the baseline: ROC-AUC" if beats_baseline else "does not beat the baseline: ROC-AUC") + \
        f" {auc:.2f} against 0.60"
    return register_trained(db, new_version(auc, model), beats_baseline, sentence, judge_by_auc(auc), clock_at(at))


def statuses(db, model="downtime_risk"):
    with db() as session:
        return {row.version: row.status for row in registry.versions(session, model)}


def test_the_first_version_is_active_only_if_it_beats_its_baseline(database_url, db):
    rejected = train(db, 0.58, beats_baseline=False)
    assert (rejected.version, rejected.status) == (1, "rejected")
    assert rejected.decision.startswith("Not made active: on its holdout it does not beat the baseline")
    assert rejected.metrics["precision_at_k"] is None  # NaN is stored as "not computable", never as a number
    with pytest.raises(RegistryError, match="version 1 does not beat its baseline and cannot be made active"):
        activate_version(db, rejected.id, ADMIN, clock_at(T0))

    first = train(db, 0.70, at=T0 + timedelta(hours=1))
    assert (first.version, first.status, first.activated_by) == (2, "active", "cli:test")
    assert first.decision == "Made active: on its holdout it beats the baseline: ROC-AUC 0.70 against 0.60."
    assert statuses(db) == {1: "rejected", 2: "active"}


def test_a_better_candidate_replaces_the_active_version_and_a_worse_one_does_not(database_url, db):
    train(db, 0.70)
    better = train(db, 0.75, at=T0 + timedelta(days=1))
    assert better.status == "active"
    assert "on the same rows it beats the active version 1: ROC-AUC 0.75 against 0.70" in better.decision
    worse = train(db, 0.72, at=T0 + timedelta(days=2))
    assert worse.status == "candidate"
    assert worse.decision.startswith("Kept as a candidate (an admin may promote it)")
    assert "does not beat the active version 2" in worse.decision
    assert statuses(db) == {1: "retired", 2: "active", 3: "candidate"}
    # another model keeps its own numbers and its own active version
    assert train(db, 0.9, model="anomaly").version == 1
    assert statuses(db) == {1: "retired", 2: "active", 3: "candidate"}


def test_roll_back_restores_the_version_active_before_and_is_audited(database_url, db):
    with pytest.raises(RegistryError, match="downtime_risk: no version is active, so there is nothing to roll back"):
        roll_back(db, "downtime_risk", ADMIN, clock_at(T0))
    train(db, 0.70)
    train(db, 0.75, at=T0 + timedelta(days=1))
    back = roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=2)))
    assert (back.version, back.status, back.activated_by) == (1, "active", "admin-ana")
    assert back.decision.startswith("Made active again by a roll back by admin-ana. At training: Made active")
    assert statuses(db) == {1: "active", 2: "retired"}
    entry = find_entries(db, AuditFilter(action="ml.roll_back")).records[0]
    assert (entry.actor, entry.target, entry.address) == ("admin-ana", "downtime_risk version 1", "10.0.0.5")
    assert '"retired": 2' in entry.detail
    assert find_entries(db, AuditFilter(action="ml.train")).total == 2

    promoted = activate_version(db, back.id + 1, ADMIN, clock_at(T0 + timedelta(days=3)))
    assert (promoted.version, promoted.status) == (2, "active")
    assert promoted.decision.count("At training: ") == 1
    with pytest.raises(RegistryError, match="version 2 is already the active version"):
        activate_version(db, promoted.id, ADMIN, clock_at(T0 + timedelta(days=3)))


def test_an_artefact_that_no_longer_matches_its_checksum_is_refused(database_url, db):
    version = train(db, 0.70)
    with db() as session:
        assert registry.load_artefact(session, version.id)["auc"] == 0.70
    with db.begin() as session:
        data = session.scalar(select(MlModelVersion.artefact).where(MlModelVersion.id == version.id))
        session.execute(update(MlModelVersion).where(MlModelVersion.id == version.id)
                        .values(artefact=data[:-1] + bytes([data[-1] ^ 1])))
    with db() as session, pytest.raises(ArtefactDamaged) as refused:
        registry.load_artefact(session, version.id)
    assert str(refused.value).startswith("downtime_risk version 1: the stored artefact does not match its checksum")
    # a candidate is not compared with a damaged active version: it replaces it, and says why
    replacement = train(db, 0.65, at=T0 + timedelta(days=1))
    assert replacement.status == "active"
    assert "replaces the active version 1, which cannot be used: downtime_risk version 1: the stored" in \
        replacement.decision


def test_an_unknown_model_is_refused_in_words():
    with pytest.raises(RegistryError, match="no model called 'risk': the models are downtime_risk, anomaly"):
        roll_back(None, "risk", ADMIN, clock_at(T0))  # refused before the database is asked


def test_lists_of_versions_never_read_the_artefacts(database_url, db, engine):
    train(db, 0.70)
    train(db, 0.75, at=T0 + timedelta(days=1))
    statements = []

    def seen(_connection, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    with db() as session:
        rows = registry.versions(session, "downtime_risk") + [registry.active_version(session, "downtime_risk")]
        assert all("artefact" in inspect(row).unloaded for row in rows)
        assert [registry.summary(row).version for row in rows] == [2, 1, 2]
        assert not [s for s in statements if "artefact" in s]
        assert registry.load_artefact(session, rows[0].id)["auc"] == 0.75  # read when the version is used
    event.remove(engine, "before_cursor_execute", seen)


def test_an_artefact_larger_than_the_database_accepts_is_refused_in_words(database_url, db):
    with db() as session:
        most, what = registry.artefact_limit(session)
    if what == "max_allowed_packet":  # MariaDB/MySQL: past it the server drops the connection ("gone away")
        with db() as session:
            assert most == session.scalar(text("SELECT @@max_allowed_packet")) - registry.STATEMENT_MARGIN
        noise = new_version(0.7)
        noise = NewVersion(**{**noise.__dict__, "artefact": os.urandom(most + 1024)})  # does not compress
        with pytest.raises(ArtefactTooLarge) as refused, db.begin() as session:
            registry.store_version(session, noise, T0)
        words = str(refused.value)
        assert words.startswith("The downtime_risk model's artefact is ") and "set by max_allowed_packet" in words
        assert "nothing was stored; raise max_allowed_packet on the MariaDB/MySQL server" in words
        assert statuses(db) == {}  # and the connection is still good
    else:
        assert (most, what) == (registry.VALUE_LIMIT["sqlite"], "the largest value sqlite stores")
    with pytest.raises(ArtefactTooLarge, match=r"artefact is 2\.0 MB once compressed, more than the database accepts "
                                               r"\(1\.0 MB, set by max_allowed_packet\): nothing was stored; raise "
                                               r"max_allowed_packet .* = 64M under \[mysqld\]"):
        registry.check_artefact_size("anomaly", b"x" * 2 * 1_048_576, (1_048_576, "max_allowed_packet"))
    registry.check_artefact_size("anomaly", b"x" * 1_048_576, (1_048_576, "max_allowed_packet"))


def test_only_the_newest_versions_and_the_active_one_keep_their_artefact(database_url, db):
    first = train(db, 0.90)
    for day in range(1, registry.KEEP_ARTEFACTS + 2):  # candidates that do not beat the active version
        train(db, 0.70, at=T0 + timedelta(days=day))
    versions = statuses(db)
    assert len(versions) == registry.KEEP_ARTEFACTS + 2 and versions[1] == "active"
    with db() as session:
        kept = {row.version: row.artefact is not None for row in registry.versions(session, "downtime_risk")}
        assert kept == {**{v: True for v in versions}, 2: False}
        assert registry.load_artefact(session, first.id)["auc"] == 0.90
        second = registry.versions(session, "downtime_risk")[-2]
        with pytest.raises(RegistryError, match="downtime_risk version 2: its artefact was removed to save space"):
            registry.load_artefact(session, second.id)
    # the model page says so, and offers no "Make active" for it
    overview = model_overview(db, "downtime_risk", T0 + timedelta(days=30))
    assert {v.version: v.artefact_kept for v in overview.versions} == kept


def test_roll_back_goes_back_one_activation_at_a_time_not_to_and_fro(database_url, db):
    for day, auc in enumerate((0.70, 0.75, 0.80)):  # each beats the one before: 1, then 2, then 3 active
        train(db, auc, at=T0 + timedelta(days=day))
    assert statuses(db) == {1: "retired", 2: "retired", 3: "active"}
    assert roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=5))).version == 2
    assert roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=6))).version == 1
    with pytest.raises(RegistryError, match=r"no earlier active version to roll back to \(version 1 is active\); "
                                            "it was made active when no other version was"):
        roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=7)))
    # promoting by hand is a new step: rolling back undoes it
    with db() as session:
        third = next(row.id for row in registry.versions(session, "downtime_risk") if row.version == 3)
    activate_version(db, third, ADMIN, clock_at(T0 + timedelta(days=8)))
    assert roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=9))).version == 1


def test_a_change_is_refused_when_the_active_version_is_not_the_one_the_admin_saw(database_url, db):
    first = train(db, 0.70)
    candidate = train(db, 0.65, at=T0 + timedelta(days=1))
    other = Actor("admin-bo")
    activate_version(db, candidate.id, other, clock_at(T0 + timedelta(days=2)), expected_active_id=first.id)
    with pytest.raises(RegistryError, match="downtime_risk: version 1 is no longer the active one: version 2 was "
                                            "made active at 2026-03-04 06:00 by admin-bo; look again before choosing"):
        activate_version(db, candidate.id, ADMIN, clock_at(T0 + timedelta(days=3)), expected_active_id=first.id)
    with pytest.raises(RegistryError, match="version 1 is no longer the active one: version 2 was made active"):
        roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=3)), expected_active_id=first.id)
    with pytest.raises(RegistryError, match="downtime_risk: no version was active when you asked, but"):
        roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=3)), expected_active_id=None)
    assert statuses(db) == {1: "retired", 2: "active"}
    back = roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=3)), expected_active_id=candidate.id)
    assert (back.version, back.status) == (1, "active")


def damage(db, version_id: int) -> None:
    with db.begin() as session:
        data = session.scalar(select(MlModelVersion.artefact).where(MlModelVersion.id == version_id))
        session.execute(update(MlModelVersion).where(MlModelVersion.id == version_id)
                        .values(artefact=data[:-1] + bytes([data[-1] ^ 1])))


def test_a_version_whose_artefact_cannot_be_used_is_never_made_active(database_url, db):
    first = train(db, 0.70)
    candidate = train(db, 0.65, at=T0 + timedelta(days=1))
    damage(db, candidate.id)
    with pytest.raises(ArtefactDamaged, match="downtime_risk version 2: the stored artefact does not match"):
        activate_version(db, candidate.id, ADMIN, clock_at(T0 + timedelta(days=2)))
    assert statuses(db) == {1: "active", 2: "candidate"}

    better = train(db, 0.80, at=T0 + timedelta(days=3))
    assert statuses(db) == {1: "retired", 2: "candidate", 3: "active"}
    damage(db, first.id)
    with pytest.raises(ArtefactDamaged, match="downtime_risk version 1: the stored artefact does not match"):
        roll_back(db, "downtime_risk", ADMIN, clock_at(T0 + timedelta(days=4)))
    assert statuses(db) == {1: "retired", 2: "candidate", 3: "active"}

    data = b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x0bgone_module\x94\x8c\x04Gone\x94\x93\x94)\x81\x94."
    with db.begin() as session:  # a pickle of a class whose module the installed libraries no longer have
        session.execute(update(MlModelVersion).where(MlModelVersion.id == candidate.id)
                        .values(artefact=data, checksum=registry.checksum_of(data)))
    with pytest.raises(RegistryError, match="downtime_risk version 2: the stored artefact cannot be read by the "
                                            "libraries installed now \\(ModuleNotFoundError: No module named "
                                            "'gone_module'\\)"):
        activate_version(db, candidate.id, ADMIN, clock_at(T0 + timedelta(days=5)), expected_active_id=better.id)
    assert statuses(db) == {1: "retired", 2: "candidate", 3: "active"}


def test_two_first_trainings_at_once_wait_for_each_other(database_url, db):
    """The CLI and the nightly job store a model's first version at the same moment: the second waits for the
    first (on MariaDB, FOR UPDATE on a model with no rows yet took only gap locks, and the two inserts deadlocked)."""
    locked, failures = threading.Event(), []

    def first_run():
        try:
            with db.begin() as session:
                registry.lock_model(session, "downtime_risk")
                locked.set()
                time.sleep(0.5)  # the other run arrives while this one holds the lock
                registry.store_version(session, new_version(0.7), T0)
        except Exception as exc:  # reported below, in the test's own thread
            failures.append(exc)
            locked.set()

    thread = threading.Thread(target=first_run)
    thread.start()
    locked.wait(5)
    try:
        with db.begin() as session:
            second = registry.store_version(session, new_version(0.8), T0 + timedelta(minutes=1))
            number = second.version
    except Exception as exc:
        failures.append(exc)
    thread.join(10)
    assert failures == [] and number == 2
    assert statuses(db) == {1: "candidate", 2: "candidate"}


def test_a_confirmed_promotion_waits_for_a_change_under_way_and_is_then_refused(database_url, db):
    """Another admin holds the model's lock while making version 3 active; our admin confirms version 2 having
    seen version 1 active. Ours waits for the lock and is refused: one active version, never two (on MariaDB a
    read before the lock would have fixed an old snapshot)."""
    first = train(db, 0.70)
    second = train(db, 0.65, at=T0 + timedelta(days=1))
    third = train(db, 0.60, at=T0 + timedelta(days=1, hours=1))
    assert statuses(db) == {1: "active", 2: "candidate", 3: "candidate"}
    holding = threading.Event()

    def other_admin():
        with db.begin() as session:
            registry.lock_model(session, "downtime_risk")
            holding.set()
            time.sleep(1.0)
            registry.activate(session, registry.version_row(session, third.id), "admin-bo", T0 + timedelta(days=2))

    other = threading.Thread(target=other_admin)
    other.start()
    assert holding.wait(10)
    try:
        with pytest.raises(RegistryError, match="version 1 is no longer the active one: version 3 was made active"):
            activate_version(db, second.id, ADMIN, clock_at(T0 + timedelta(days=2)), expected_active_id=first.id)
    finally:
        other.join(10)
    assert statuses(db) == {1: "retired", 2: "candidate", 3: "active"}
