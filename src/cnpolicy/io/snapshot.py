"""Compiled snapshots: a data folder's records as JSON, keyed by the hash of its YAML files.

The YAML stays the source of truth. The bundled data ships with a snapshot (``cnpolicy/bundled.json``)
that a test keeps in step; user folders get one in the user's cache directory. A snapshot whose
hash, format or cnpolicy version does not match, or that cannot be read, is ignored, never trusted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "cache_dir", "folder_digest", "read_snapshot", "snapshot_text", "write_snapshot"]

#: Bump when the snapshot layout or the model changes in a way old snapshots cannot express.
FORMAT = 1
_KINDS = ("facts", "agencies", "sources", "regulations", "events")


def _yaml_files(root: Traversable) -> list[tuple[str, Traversable]]:
    found = [(name, root / name) for name in ("facts.yaml", "agencies.yaml", "sources.yaml") if (root / name).is_file()]
    for sub in ("regulations", "events"):
        folder = root / sub
        if folder.is_dir():
            found.extend(sorted((f"{sub}/{f.name}", f) for f in folder.iterdir() if f.name.endswith(".yaml") and f.is_file()))
    return found


def folder_digest(root: Traversable) -> str:
    """SHA-256 over the names and bytes of every data file in the folder, and the snapshot format."""
    digest = hashlib.sha256(f"cnpolicy-snapshot-{FORMAT}\n".encode())
    for name, entry in _yaml_files(root):
        data = entry.read_bytes()
        digest.update(f"{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where user folders' snapshots go.

    ``$CNPOLICY_CACHE_DIR``, else ``$XDG_CACHE_HOME/cnpolicy``, else ``~/.cache/cnpolicy``.
    """
    if explicit := os.environ.get("CNPOLICY_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cnpolicy"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cnpolicy")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without metadata
        return "unknown"


def read_snapshot(source: Traversable, digest: str) -> dict[str, list[Any]] | None:
    """The records of a snapshot if it is readable and matches ``digest``; otherwise None."""
    try:
        data = json.loads(source.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("digest") != digest:
        return None
    records = data.get("records")
    if not isinstance(records, dict) or not all(isinstance(records.get(k), list) for k in _KINDS):
        return None
    return {k: records[k] for k in _KINDS}


def snapshot_text(records: dict[str, list[Any]], digest: str) -> str:
    """The JSON text of a snapshot."""
    payload = {"format": FORMAT, "cnpolicy": _version(), "digest": digest, "records": records}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_date_text)


def _date_text(value: object) -> str:
    """Dates that YAML read unquoted go into a snapshot as the ISO text they were written as."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to a snapshot")


def write_snapshot(path: Path, records: dict[str, list[Any]], digest: str) -> bool:
    """Write atomically (temporary file, then rename); False if the location is not writable."""
    try:
        text = snapshot_text(records, digest)
    except (TypeError, ValueError):  # something JSON cannot hold: simply do not cache
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError:
        return False
    return True
