"""The shipped models' file: named arrays and a JSON header in a compressed ``.npz`` (no pickles), whose
version names its content, so that a retrained model that differs in any number gets another version."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np


def content_version(prefix: str, arrays: dict[str, np.ndarray]) -> str:
    """``<prefix>+<10 hex digits>``: a digest of every array's name and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return f"{prefix}+{digest.hexdigest()[:10]}"


def save_model(path: str | Path, arrays: dict[str, np.ndarray], header: dict[str, Any]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = {**arrays, "header": np.asarray(json.dumps(header, sort_keys=True))}
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **stored)
    return path


def load_model(path: str | Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and the header of a file written by :func:`save_model`."""
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    return arrays, json.loads(str(arrays.pop("header")))
