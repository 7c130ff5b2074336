"""Audit of a corpus PDF ingested by the real pipeline, checked in headless Chromium against the warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from flows.audit import audit_document
from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.conftest import corpus_pdf
from tests.test_audit_browser import browser, open_report  # noqa: F401  (the browser fixture)
from tests.test_audit_support import rows

FACT_TABLES = ("policy_dates", "policies", "targets", "technologies")


@pytest.mark.slow
def test_report_of_an_ingested_plan_matches_its_warehouse(browser, tmp_path: Path) -> None:  # noqa: F811
    pdf = corpus_pdf("zh_14th_fyp_energy_saving_emission_reduction_work_plan.pdf")
    opts = IngestOptions(db=tmp_path / "w.duckdb", store=tmp_path / "store", limits=Limits(timeout_s=240))
    [outcome] = ingest([pdf], opts)
    assert outcome.status == "ok", f"ingest failed: {outcome.reason}: {outcome.error}"
    db = opts.db
    res = audit_document(db, pdf.name, tmp_path / "plan.html", tmp_path / "plan.csv")
    n_facts = sum(rows(db, f"SELECT count(*) FROM {k}")[0][0] for k in FACT_TABLES)
    n_pages = rows(db, "SELECT count(*) FROM pages")[0][0]
    assert res.n_facts == n_facts and res.n_pages == n_pages == res.n_images > 0
    assert res.size_bytes < 400_000 * n_pages   # modest page images
    open_report(browser, res.html)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#facts tbody tr")) == n_facts
    assert len(browser.find_elements(By.CSS_SELECTOR, ".pimg img")) == n_pages
    n_boxes = rows(db, "SELECT count(*) FROM fact_boxes WHERE x1 > x0")[0][0]
    assert len(browser.find_elements(By.CSS_SELECTOR, ".box")) == n_boxes
    n_lines = len(res.csv.read_text(encoding="utf-8").splitlines()) if res.csv else 0
    assert n_lines >= n_facts + 1
    assert browser.execute_script("return window.__alerts") == []
    browser.save_screenshot(str(tmp_path / "plan.png"))
