"""Where the development corpus is: committed under corpus/, else outside the repository.

What may be committed lives in corpus/ (the seed transcript, the official Chinese documents, their target
keys; corpus/README.md lists every file with its sha256). The English PDFs, whose licences keep them out of
the repository, are looked up by name in $POLICY_CORPUS, by default ../shared/corpus beside the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "corpus"
ZH = COMMITTED / "zh"
ZH_DEV = COMMITTED / "zh-dev"
GOLD_DEV = COMMITTED / "gold-dev" / "targets"
SEED_TRANSCRIPT = COMMITTED / "seed" / "carbon-neutrality-strategies-2022.md"
_COMMITTED_FOLDERS = (ZH, ZH_DEV, GOLD_DEV, SEED_TRANSCRIPT.parent)


def external() -> Path:
    """The folder of the files the repository may not hold: $POLICY_CORPUS or ../shared/corpus."""
    return Path(os.environ.get("POLICY_CORPUS", REPO.parent / "shared" / "corpus"))


def find(name: str) -> Path | None:
    """The corpus file called `name`: the committed copy first, then the external one; None when neither."""
    for folder in (*_COMMITTED_FOLDERS, external(), external() / "zh-dev"):
        if (folder / name).is_file():
            return folder / name
    return None


def seed_transcript() -> Path:
    """The seed paper's transcript that scripts/render_seed.py renders: $POLICY_SEED_PATH or the committed one."""
    return Path(os.environ.get("POLICY_SEED_PATH", SEED_TRANSCRIPT))


def missing_reason(name: str) -> str:
    """One line on why `name` is not at hand."""
    return f"{name} is not committed (its licence keeps it out) and {external()} does not hold it"


def corpus_pdfs() -> list[Path]:
    """The top-level corpus PDFs at hand: the five committed Chinese ones and the external ones beside them."""
    committed = sorted(ZH.glob("*.pdf"))
    names = {p.name for p in committed}
    outside = sorted(external().glob("*.pdf")) if external().is_dir() else []
    return committed + [p for p in outside if p.name not in names]
