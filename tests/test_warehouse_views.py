"""The *_reviewed views apply the latest human verdict; status_summary finds reviews of vanished facts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from schemas.errors import PolicyExtractError
from tests.test_warehouse_factory import doc_id_of, make_facts, make_load
from warehouse.load import add_review, load_document
from warehouse.query import run_query, status_summary


@pytest.fixture()
def loaded(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    db = tmp_path / "policy.duckdb"
    load = make_load(doc_id_of("a"))
    load_document(db, load)
    return db, {f.KIND: f.fact_id for f in load.facts}


def test_rejected_facts_are_left_out(loaded: tuple[Path, dict[str, str]]) -> None:
    db, ids = loaded
    add_review(db, ids["policies"], "rejected", reviewer="li", note="not a policy")
    assert run_query(db, "SELECT count(*) FROM policies_reviewed")[1] == [(0,)]
    assert run_query(db, "SELECT count(*) FROM policies")[1] == [(1,)], "the loaded row stays"


def test_corrections_apply_over_the_row(loaded: tuple[Path, dict[str, str]]) -> None:
    db, ids = loaded
    add_review(db, ids["targets"], "corrected", corrected={"value": 20, "qualifier": None, "actor": "CN-JS"})
    cols, rows = run_query(db, "SELECT value, qualifier, actor, unit, target_year, review_verdict, quote "
                               "FROM targets_reviewed")
    assert rows == [(20.0, None, "CN-JS", "%", 2030, "corrected", "到2030年，非化石能源消费比重达到25%左右")]
    add_review(db, ids["policy_dates"], "corrected", corrected={"date_start": "2021-10-01", "precision": "month"})
    assert run_query(db, "SELECT date_start::VARCHAR, precision, date_end::VARCHAR FROM policy_dates_reviewed")[1] == [
        ("2021-10-01", "month", "2021-10-24")]
    add_review(db, ids["technologies"], "corrected", corrected={"horizon": "medium", "stage": "research"})
    assert run_query(db, "SELECT horizon, stage, name_en FROM technologies_reviewed")[1] == [
        ("medium", "research", "CCUS")]


def test_the_latest_verdict_wins(loaded: tuple[Path, dict[str, str]]) -> None:
    db, ids = loaded
    add_review(db, ids["targets"], "rejected", reviewed_at=datetime(2024, 1, 1))
    add_review(db, ids["targets"], "accepted", reviewed_at=datetime(2024, 2, 1))
    assert run_query(db, "SELECT value, review_verdict FROM targets_reviewed")[1] == [(25.0, "accepted")]
    add_review(db, ids["targets"], "corrected", corrected={"value": 1}, reviewed_at=datetime(2024, 2, 1))
    assert run_query(db, "SELECT value FROM targets_reviewed")[1] == [(1.0,)], "same time: the later review wins"


def test_reviews_survive_a_reload_with_the_same_fact_ids(loaded: tuple[Path, dict[str, str]]) -> None:
    db, ids = loaded
    add_review(db, ids["targets"], "corrected", corrected={"value": 20})
    load_document(db, make_load(doc_id_of("a"), run_id="run-2"))
    assert run_query(db, "SELECT value FROM targets_reviewed")[1] == [(20.0,)]
    assert status_summary(db)["orphaned_reviews"] == []


def test_reviews_of_vanished_facts_are_orphaned(loaded: tuple[Path, dict[str, str]]) -> None:
    db, ids = loaded
    add_review(db, ids["policies"], "accepted")
    target, *_ = make_facts(doc_id_of("a"))
    load_document(db, make_load(doc_id_of("a"), run_id="run-2", facts=(target,)))
    summary = status_summary(db)
    assert [o["fact_id"] for o in summary["orphaned_reviews"]] == [ids["policies"]]
    assert summary["facts"] == {"policy_dates": 0, "targets": 1, "policies": 0, "technologies": 0}


def test_bad_verdicts_are_refused(loaded: tuple[Path, dict[str, str]]) -> None:
    db, ids = loaded
    with pytest.raises(PolicyExtractError):
        add_review(db, ids["targets"], "maybe")
    with pytest.raises(PolicyExtractError):
        add_review(db, ids["targets"], "corrected")
