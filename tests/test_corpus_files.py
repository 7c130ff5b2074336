"""corpus/: the committed files are the ones corpus/README.md lists, byte for byte, and are found first."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

from flows import corpus
from tests.conftest import RAW

ROW = re.compile(r"^\| `([^`]+)` \| (\d+) \| `([0-9a-f]{64})` \|$", re.M)
ENGLISH = ("en_uk_ccc_sixth_carbon_budget_buildings.pdf", "en_unfccc_ndc_synthesis_report_2023.pdf",
           "en_wimby_germany_energy_policy_targets.pdf")
"""The corpus files whose licences keep them out of the repository."""


def readme_table() -> dict[str, tuple[int, str]]:
    """path under corpus/ -> (bytes, sha256), from the README's sha256 table."""
    text = (corpus.COMMITTED / "README.md").read_text(encoding="utf-8")
    return {path: (int(size), sha) for path, size, sha in ROW.findall(text)}


def committed_files() -> dict[str, Path]:
    return {p.relative_to(corpus.COMMITTED).as_posix(): p for p in sorted(corpus.COMMITTED.rglob("*"))
            if p.is_file() and p.name != "README.md"}


def test_the_readme_lists_every_committed_file_with_its_sha256() -> None:
    table, files = readme_table(), committed_files()
    assert set(table) == set(files)
    assert len(files) == 5 + 12 + 12 + 2 + 1 + 12  # zh, zh-dev, their keys, guide and checker, seed, zh-extra keys
    for rel, path in files.items():
        data = path.read_bytes()
        assert table[rel] == (len(data), hashlib.sha256(data).hexdigest()), rel


def test_every_target_key_checks_against_its_committed_pdf() -> None:
    """The keys' own checker: sha256 and page count of the PDF, vocabularies, every quote on its page."""
    keys = sorted(corpus.GOLD_DEV.glob("*.json"))
    assert len(keys) == len(list(corpus.ZH_DEV.glob("*.pdf"))) == 12
    proc = subprocess.run([sys.executable, str(corpus.GOLD_DEV / "check.py"), "--pdfs", str(corpus.ZH_DEV),
                           *map(str, keys)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert proc.stdout.count(": OK (") == 12, proc.stdout


def test_committed_files_are_found_first_and_english_ones_only_outside() -> None:
    for path in corpus.ZH.glob("*.pdf"):
        assert corpus.find(path.name) == path
    assert corpus.find("carbon-neutrality-strategies-2022.md") == corpus.SEED_TRANSCRIPT
    for name in ENGLISH:
        assert not list(corpus.COMMITTED.rglob(name))
        found = corpus.find(name)
        assert found == (corpus.external() / name if corpus.external().is_dir() else None)
        assert "\n" not in corpus.missing_reason(name) and name in corpus.missing_reason(name)
    assert corpus.find("no_such_file.pdf") is None


def test_corpus_pdfs_are_the_committed_five_and_the_english_ones_at_hand() -> None:
    names = [p.name for p in corpus.corpus_pdfs()]
    assert names[:5] == sorted(p.name for p in corpus.ZH.glob("*.pdf")) and len(set(names)) == len(names)
    assert set(names[5:]) == (set(ENGLISH) if corpus.external().is_dir() else set())


def test_raw_samples_are_copies_of_committed_corpus_files() -> None:
    for sample in RAW.glob("zh_*.pdf"):
        assert sample.read_bytes() == (corpus.ZH / sample.name).read_bytes(), sample.name
