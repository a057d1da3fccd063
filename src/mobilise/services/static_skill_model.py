"""The fast path's static sentence model, shipped as data (bench/static_skills.py builds it).

The file holds the vocabulary and one float16 vector per word (core/skills/static.py); it is
read once per process. Without it the fast path still runs, on word TF-IDF alone.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from mobilise.core.skills.static import StaticModel

STATIC_FILE = "static-model.npz"


def shipped_static_file() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "esco" / STATIC_FILE))


def write_static_model(path: Path, model: StaticModel) -> None:
    """Store the model as float16 (half the size; its cosines move by < 0.001)."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        vocabulary=np.array(model.vocabulary, dtype=np.str_),
        vectors=model.vectors.astype(np.float16),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def read_static_model(path: Path) -> StaticModel | None:
    """The model stored at `path`, or None when there is none."""
    if not path.exists():
        return None
    with np.load(path) as stored:
        return StaticModel(
            tuple(str(w) for w in stored["vocabulary"]), stored["vectors"].astype(np.float32)
        )


@lru_cache(maxsize=1)
def shipped_static_model() -> StaticModel | None:
    return read_static_model(shipped_static_file())
