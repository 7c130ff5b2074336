"""The audit report opened in a real headless Chromium (Debian's chromium + chromedriver via selenium)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from flows.audit import audit_document
from tests.test_audit_support import SCRIPT_TEXT, build_warehouse, rows

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
TRAP = "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a fresh profile, no background networking; alert() trapped on every page."""
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), "run scripts/setup_system.sh"
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, Path]:
    """(db, html, doc_id, tmp) of a report built from a real warehouse file."""
    tmp = tmp_path_factory.mktemp("audit")
    db, doc_id, _ = build_warehouse(tmp)
    res = audit_document(db, doc_id[:10], tmp / "report.html", tmp / "facts.csv")
    return db, res.html, doc_id, tmp


def open_report(browser: webdriver.Chrome, html: Path) -> None:
    browser.get(html.resolve().as_uri())
    assert browser.execute_script("return document.readyState") == "complete"


def visible_rows(browser: webdriver.Chrome) -> list:
    return [r for r in browser.find_elements(By.CSS_SELECTOR, "#facts tbody tr") if r.is_displayed()]


def test_fact_count_and_page_images_match_the_warehouse(browser, report) -> None:
    db, html, doc_id, _ = report
    open_report(browser, html)
    expected = sum(rows(db, f"SELECT count(*) FROM {k} WHERE doc_id = ?", [doc_id])[0][0]
                   for k in ("policy_dates", "policies", "targets", "technologies"))
    assert expected == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "#facts tbody tr")) == expected
    assert browser.find_element(By.ID, "f-shown").text == str(expected)
    n_pages = rows(db, "SELECT page_count FROM documents WHERE doc_id = ?", [doc_id])[0][0]
    loaded = browser.execute_script(
        "return Array.from(document.querySelectorAll('.pimg img')).map(i => i.complete && i.naturalWidth > 0)")
    assert loaded == [True] * n_pages == [True] * 3


def test_a_box_and_its_row_are_linked_both_ways(browser, report) -> None:
    _, html, _, _ = report
    open_report(browser, html)
    box = browser.find_element(By.CSS_SELECTOR, ".box.k-targets")
    fact = box.get_attribute("data-fact")
    box.click()
    row = browser.find_element(By.ID, f"row-{fact}")
    assert "sel" in row.get_attribute("class")
    other = browser.find_element(By.CSS_SELECTOR, "#facts tbody tr[data-kind='technologies']")
    other.click()
    tech_box = browser.find_element(By.CSS_SELECTOR, f".box[data-fact='{other.get_attribute('data-fact')}']")
    assert "sel" in tech_box.get_attribute("class")
    assert "sel" not in row.get_attribute("class")
    dot = browser.find_element(By.CSS_SELECTOR, "#timeline circle.tl")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", dot)
    assert "sel" in browser.find_element(By.ID, f"row-{dot.get_attribute('data-fact')}").get_attribute("class")


def test_filters_hide_rows_and_sorting_reorders(browser, report) -> None:
    _, html, _, tmp = report
    open_report(browser, html)
    Select(browser.find_element(By.ID, "f-kind")).select_by_value("targets")
    assert {r.get_attribute("data-kind") for r in visible_rows(browser)} == {"targets"}
    assert len(visible_rows(browser)) == 2
    Select(browser.find_element(By.ID, "f-page")).select_by_value("2")
    assert len(visible_rows(browser)) == 1
    Select(browser.find_element(By.ID, "f-kind")).select_by_value("")
    Select(browser.find_element(By.ID, "f-page")).select_by_value("")
    browser.find_element(By.ID, "f-text").send_keys("offshore")
    assert [r.get_attribute("data-kind") for r in visible_rows(browser)] == ["technologies"]
    dimmed = browser.find_elements(By.CSS_SELECTOR, ".box.dim")
    assert len(dimmed) == 4
    browser.find_element(By.ID, "f-text").clear()
    browser.find_element(By.ID, "f-text").send_keys(" ")  # fires input: empty query shows all again
    assert len(visible_rows(browser)) == 5
    page_head = browser.find_element(By.CSS_SELECTOR, "#facts th[data-col='1']")
    page_head.click()
    page_head.click()  # descending
    pages = [r.get_attribute("data-page") for r in browser.find_elements(By.CSS_SELECTOR, "#facts tbody tr")]
    assert pages == sorted(pages, reverse=True) and pages[0] == "2"
    browser.save_screenshot(str(tmp / "audit.png"))
    assert (tmp / "audit.png").stat().st_size > 10_000


def test_document_text_cannot_run_script(browser, report) -> None:
    _, html, _, _ = report
    open_report(browser, html)
    assert browser.execute_script("return window.__alerts") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.execute_script("return document.scripts.length") == 1
    assert browser.find_elements(By.CSS_SELECTOR, "#facts script, #rejections script, #rejections img") == []
    policy = browser.find_element(By.CSS_SELECTOR, "#facts tbody tr[data-kind='policies']")
    assert SCRIPT_TEXT in policy.text
    assert SCRIPT_TEXT in browser.find_element(By.ID, "rejections").text
    header = browser.find_element(By.CSS_SELECTOR, "table.doctable th")
    assert header.get_attribute("colspan") == "2" and header.text == "指标 <b>x</b>"
    source = html.read_text(encoding="utf-8")
    assert SCRIPT_TEXT not in source and "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "http://" not in source and "https://" not in source
