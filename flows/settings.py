"""Runtime settings: paths, limits, and a quiet offline Prefect (set before prefect is imported)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("warehouse/policy.duckdb")
DEFAULT_STORE = Path("raw/store")
DEFAULT_RAW = Path("raw")


@dataclass(frozen=True)
class Limits:
    """Per-document safety limits (README states the defaults; CLI flags change them)."""

    timeout_s: float = 300.0
    memory_mb: int = 2048
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 5000


def db_path(option: Path | None) -> Path:
    """--db, else $POLICY_WAREHOUSE, else warehouse/policy.duckdb."""
    if option is not None:
        return option
    return Path(os.environ.get("POLICY_WAREHOUSE", str(DEFAULT_DB)))


def store_dir(option: Path | None) -> Path:
    """--store, else $POLICY_STORE, else raw/store."""
    if option is not None:
        return option
    return Path(os.environ.get("POLICY_STORE", str(DEFAULT_STORE)))


def quiet_prefect_env() -> None:
    """Offline, quiet, analytics off; a private PREFECT_HOME unless the user set one."""
    defaults = {
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
        "PREFECT_TASKS_REFRESH_CACHE": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    if "PREFECT_HOME" not in os.environ:
        home = Path(tempfile.gettempdir()) / f"policy-extract-prefect-{os.getuid()}"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)
