"""Output paths named by --out/--csv: checked before anything is created, and no empty folder left behind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from schemas.errors import PolicyExtractError


def _folders_on_the_way(path: Path) -> Iterator[Path]:
    """Each prefix of `path` (a folder the OS walks through), from the first component on."""
    current = Path(path.anchor) if path.anchor else Path()
    for part in path.parts[1 if path.anchor else 0:]:
        current = current / part
        yield current


def check_output(path: Path, option: str, *, folder: bool = False) -> None:
    """Refuse in one line, before anything is created, an output path that cannot be written: a file where a
    folder must be (with folder=True, the path itself too), `..` out of a folder that does not exist (the OS
    would refuse it too), or a file path naming a folder."""
    missing = None
    for step in _folders_on_the_way(path if folder else path.parent):
        if missing is not None and step.name == "..":
            raise PolicyExtractError(f"{option} {path}: {missing} does not exist, so `..` after it leads nowhere")
        if missing is None and not step.exists():
            missing = step
        elif missing is None and not step.is_dir():
            raise PolicyExtractError(f"{option} {path}: {step} is a file, not a folder")
    if not folder and path.is_dir():
        raise PolicyExtractError(f"{option} {path} is a folder; give a file name")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (spelled differently, or linked)."""
    return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))


@contextmanager
def no_new_folders_on_error(*folders: Path) -> Iterator[None]:
    """If the body fails, remove again the folders on the way to `folders` it created (only empty ones)."""
    new = [step for f in folders for step in _folders_on_the_way(f) if not step.exists()]
    try:
        yield
    except BaseException:
        for step in sorted(set(new), key=lambda p: len(p.parts), reverse=True):
            with suppress(OSError):
                step.rmdir()
        raise
