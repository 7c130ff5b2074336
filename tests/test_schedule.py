"""schedule: a one-minute cron really fires against a local Prefect server and loads a dropped file."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.bad_pdfs import good_pdf_bytes
from tests.conftest import ROOT

CLI = [sys.executable, "-c", "import flows.cli_ops; from flows.cli import main; main()"]
TEXT = "China aims to peak carbon emissions before 2030 and to achieve carbon neutrality before 2060."


def loaded(db: Path, name: str) -> bool:
    """The file is in the warehouse (a writer holding the lock just means: not yet)."""
    if not db.is_file():
        return False
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return False
    try:
        return bool(con.execute("SELECT count(*) FROM documents WHERE file_name = ? AND status = 'ok'",
                                [name]).fetchone()[0])
    except duckdb.Error:
        return False
    finally:
        con.close()


def wait_for(predicate, seconds: float, step: float = 1.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.mark.slow
def test_a_one_minute_cron_picks_up_a_dropped_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "inbox").mkdir(parents=True)
    (raw / "sources.yaml").write_text("sources:\n  - path: inbox\n")
    db = tmp_path / "w.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_UI_ENABLED="false",
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5", PREFECT_RUNNER_POLL_FREQUENCY="5")
    (tmp_path / "prefect").mkdir()
    log = tmp_path / "schedule.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*CLI, "schedule", "--cron", "* * * * *", "--sources", str(raw / "sources.yaml"),
                                 "--db", str(db), "--store", str(raw / "store")],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server_pid = None
    try:
        assert wait_for(lambda: "started a local Prefect server" in log.read_text(errors="replace"), 150), \
            log.read_text(errors="replace")[-2000:]
        server_pid = int(re.search(r"\(pid (\d+),", log.read_text()).group(1))
        assert wait_for(lambda: "being served" in log.read_text(errors="replace"), 120), \
            log.read_text(errors="replace")[-2000:]
        (raw / "inbox" / "dropped.pdf").write_bytes(good_pdf_bytes(TEXT))
        dropped = time.monotonic()
        assert wait_for(lambda: loaded(db, "dropped.pdf"), 120, step=2.0), log.read_text(errors="replace")[-3000:]
        assert time.monotonic() - dropped <= 125
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
        text = log.read_text(errors="replace")
        assert "stopped the local Prefect server" in text, text[-2000:]
        assert wait_for(lambda: _gone(server_pid), 20)
    finally:
        kill_group(proc.pid)
        if server_pid:
            kill_group(server_pid)


def _gone(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_bad_cron_is_refused_before_any_server_starts(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("sources: []\n")
    proc = subprocess.run([*CLI, "schedule", "--cron", "every day", "--sources", str(tmp_path / "sources.yaml"),
                           "--db", str(tmp_path / "w.duckdb")], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PREFECT_HOME": str(tmp_path)})
    assert proc.returncode == 1 and "not a valid cron" in proc.stderr
    assert "started a local Prefect server" not in proc.stderr
