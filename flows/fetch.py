"""Sources to poll (raw/sources.yaml): local folders, globs and http(s) URLs, fetched into raw/fetched/.

A URL is downloaded only when new or changed (ETag / Last-Modified, then sha256) into a content-addressed
store, raw/fetched/<sha256>.pdf, with a sidecar <sha256>.json keeping the URL and the original file name.
Nothing is ever written outside raw/fetched/, whatever the URL or the server's file name says.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import yaml

from flows.discover import Found, dir_to_pdfs
from schemas.errors import PolicyExtractError

FETCHED = "fetched"
SHA_NAME = re.compile(r"^[0-9a-f]{64}\.pdf$")
CHUNK = 64 * 1024
USER_AGENT = "policy-extract (scheduled re-ingestion of policy papers)"
FetchStatus = Literal["new", "changed", "unchanged", "failed"]


@dataclass(frozen=True)
class Source:
    """One entry of sources.yaml: a folder or file, a glob, or an http(s) URL."""

    kind: Literal["path", "glob", "url"]
    value: str


@dataclass(frozen=True)
class Fetched:
    """What happened to one URL."""

    url: str
    status: FetchStatus
    path: Path | None = None
    file_name: str | None = None
    error: str | None = None


@dataclass
class FetchReport:
    """Every file the sources name now (fetched ones with their URL as source), and each URL's fate."""

    found: list[Found] = field(default_factory=list)
    fetched: list[Fetched] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Folders or files listed but absent now (a folder not yet created is not an error)."""

    @property
    def failed(self) -> list[Fetched]:
        return [f for f in self.fetched if f.status == "failed"]


def entry_to_source(entry: Any) -> Source:
    """`{url: ...}`, `{glob: ...}`, `{path: ...}` or a bare string (URL, glob or path by its look)."""
    if isinstance(entry, dict) and len(entry) == 1:
        kind, value = next(iter(entry.items()))
        if kind in ("path", "glob", "url") and isinstance(value, str) and value.strip():
            return _checked(Source(kind, value.strip()))
    if isinstance(entry, str) and entry.strip():
        text = entry.strip()
        if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
            return _checked(Source("url", text))
        return Source("glob" if any(c in text for c in "*?[") else "path", text)
    raise PolicyExtractError(f"sources: cannot read the entry {entry!r} (give path:, glob: or url:)")


def _checked(src: Source) -> Source:
    if src.kind == "url" and urlsplit(src.value).scheme.lower() not in ("http", "https"):
        raise PolicyExtractError(f"sources: only http and https URLs are fetched, not {src.value!r}")
    return src


def load_sources(path: Path) -> list[Source]:
    """Read sources.yaml (`sources:` list); a missing or malformed file is one clear error."""
    if not path.is_file():
        raise PolicyExtractError(f"{path}: no such sources file (see raw/sources.yaml for an example)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise PolicyExtractError(f"{path}: not valid YAML ({' '.join(str(e).split())[:200]})") from None
    entries = data.get("sources") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise PolicyExtractError(f"{path}: expected a list under `sources:`")
    return [entry_to_source(e) for e in entries]


def safe_file_name(name: str | None, fallback: str = "download.pdf") -> str:
    """A bare, printable file name (no folders, no '..'): it is only ever metadata, never a path we write."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".").strip()
    return base[:200] if base else fallback


def response_file_name(url: str, content_disposition: str | None) -> str:
    """Content-Disposition's filename (RFC 6266 / 2231), else the URL's last path segment."""
    if content_disposition:
        msg = Message()
        msg["content-disposition"] = content_disposition
        name = msg.get_filename()
        if name:
            return safe_file_name(name)
    return safe_file_name(unquote(urlsplit(url).path.rsplit("/", 1)[-1]))


def _index_path(store: Path, url: str) -> Path:
    return store / "urls" / (hashlib.sha256(url.encode()).hexdigest() + ".json")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Atomic small JSON file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _conditional_headers(prior: dict[str, Any], store: Path) -> dict[str, str]:
    """If-None-Match / If-Modified-Since, only while the copy they describe is still on disk."""
    sha = prior.get("sha256")
    if not sha or not (store / f"{sha}.pdf").is_file():
        return {}
    headers = {}
    if prior.get("etag"):
        headers["If-None-Match"] = prior["etag"]
    if prior.get("last_modified"):
        headers["If-Modified-Since"] = prior["last_modified"]
    return headers


def _download(response: Any, store: Path, max_bytes: int, deadline: float) -> tuple[Path, str]:
    """Stream the body to a temp file inside the store, hashing it; size and time are bounded."""
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".incoming-")
    h, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in response.iter_bytes(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise PolicyExtractError(f"larger than {max_bytes // (1024 * 1024)} MB")
                if time.monotonic() > deadline:
                    raise PolicyExtractError("download took too long")
                h.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp), h.hexdigest()


def _store(tmp: Path, sha: str, store: Path, meta: dict[str, Any]) -> Path:
    """Move the download to <sha>.pdf (content-addressed) and write its sidecar."""
    target = store / f"{sha}.pdf"
    if target.resolve().parent != store.resolve():
        raise PolicyExtractError("refused a path outside the fetched store")  # cannot happen: sha is hex
    os.replace(tmp, target)
    _write_json(store / f"{sha}.json", meta)
    return target


def fetch_url(url: str, raw_dir: Path, timeout_s: float = 30.0, max_bytes: int = 200 * 1024 * 1024) -> Fetched:
    """Download one URL if new or changed; every failure becomes a 'failed' Fetched, never an exception."""
    import httpx

    store = raw_dir / FETCHED
    store.mkdir(parents=True, exist_ok=True)
    index = _index_path(store, url)
    prior = _read_json(index)
    deadline = time.monotonic() + timeout_s
    try:
        with httpx.Client(timeout=timeout_s, follow_redirects=True, max_redirects=5,
                          headers={"User-Agent": USER_AGENT}) as client, \
                client.stream("GET", url, headers=_conditional_headers(prior, store)) as r:
            if r.status_code == 304 and prior.get("sha256"):
                return Fetched(url, "unchanged", store / f"{prior['sha256']}.pdf", prior.get("file_name"))
            if r.status_code != 200:
                return Fetched(url, "failed", error=f"HTTP {r.status_code} {r.reason_phrase}".strip())
            tmp, sha = _download(r, store, max_bytes, deadline)
            name = response_file_name(str(r.url), r.headers.get("content-disposition"))
            meta = {"sha256": sha, "url": url, "final_url": str(r.url), "file_name": name,
                    "etag": r.headers.get("etag"), "last_modified": r.headers.get("last-modified"),
                    "content_type": r.headers.get("content-type"),
                    "fetched_at": datetime.now(UTC).isoformat(timespec="seconds")}
    except (httpx.HTTPError, PolicyExtractError, OSError) as e:
        kind = "timed out" if isinstance(e, httpx.TimeoutException) else " ".join(str(e).split())[:200]
        return Fetched(url, "failed", error=kind or type(e).__name__)
    path = _store(tmp, sha, store, meta)
    _write_json(index, meta)
    status: FetchStatus = "new" if not prior else ("unchanged" if prior.get("sha256") == sha else "changed")
    return Fetched(url, status, path, name)


def local_files(src: Source, base: Path, raw_dir: Path) -> list[Path]:
    """The PDFs a path or glob entry names now (relative entries are relative to the sources file)."""
    skip = {(raw_dir / FETCHED).resolve(), (raw_dir / "store").resolve()}
    if src.kind == "glob":
        pattern = src.value if os.path.isabs(src.value) else str(base / src.value)
        found = [Path(p) for p in sorted(glob.glob(pattern, recursive=True)) if Path(p).is_file()]
    else:
        target = Path(src.value) if os.path.isabs(src.value) else base / src.value
        if target.is_dir():
            found = dir_to_pdfs(target, skip=raw_dir / "store")
        elif target.is_file():
            found = [target]
        else:
            found = []
    return [p for p in found if not any(p.resolve().is_relative_to(s) for s in skip)]


def fetch_sources(sources_file: Path, raw_dir: Path | None = None, timeout_s: float = 30.0,
                  max_bytes: int = 200 * 1024 * 1024) -> FetchReport:
    """Every source: local files as they are, URLs fetched when new or changed (raw_dir: the file's folder)."""
    raw = raw_dir if raw_dir is not None else sources_file.parent
    report = FetchReport()
    seen: set[Path] = set()
    for src in load_sources(sources_file):
        if src.kind == "url":
            got = fetch_url(src.value, raw, timeout_s, max_bytes)
            report.fetched.append(got)
            if got.path is not None and got.path.is_file():
                report.found.append(Found(got.path, src.value, got.file_name))
            continue
        listed = local_files(src, sources_file.parent, raw)
        if src.kind == "path" and not listed and not (sources_file.parent / src.value).exists():
            report.missing.append(src.value)
        for p in listed:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                report.found.append(Found(p, str(p)))
    return report


def fetched_origin(found: Found) -> Found:
    """A file of the fetched store, met by a folder walk, keeps its URL and original name as source."""
    if found.file_name is not None or not SHA_NAME.match(found.path.name) or found.path.parent.name != FETCHED:
        return found
    meta = _read_json(found.path.with_suffix(".json"))
    if not isinstance(meta.get("url"), str):
        return found
    return Found(found.path, meta["url"], safe_file_name(meta.get("file_name"), found.path.name))


def forget_fetched(raw_dir: Path, doc_id: str) -> list[Path]:
    """A takedown removes the fetched copy, its sidecar and the URL index entries that point at it."""
    store = raw_dir / FETCHED
    removed = [p for p in (store / f"{doc_id}.pdf", store / f"{doc_id}.json") if p.is_file()]
    removed += [p for p in sorted((store / "urls").glob("*.json")) if _read_json(p).get("sha256") == doc_id]
    for p in removed:
        p.unlink()
    return removed
