"""The shipped static model: stored and read back unchanged (to float16), and used by the fast
path, so that a passage about a skill in other words still finds it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mobilise.core.skills.fast import STATIC_SCORERS
from mobilise.core.skills.static import StaticModel
from mobilise.services.skill_inference import inferencer_for
from mobilise.services.static_skill_model import (
    read_static_model,
    shipped_static_model,
    write_static_model,
)


def test_a_model_is_read_back_as_written(tmp_path: Path) -> None:
    model = StaticModel(("data", "team"), np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32))
    write_static_model(tmp_path / "static.npz", model)
    found = read_static_model(tmp_path / "static.npz")
    assert found is not None
    assert found.vocabulary == model.vocabulary
    assert np.allclose(found.vectors, model.vectors, atol=1e-3)
    assert read_static_model(tmp_path / "missing.npz") is None


def test_the_fast_path_reads_with_the_shipped_model() -> None:
    model = shipped_static_model()
    assert model is not None
    assert len(model.vocabulary) > 10_000
    fast = inferencer_for("esco", method="fast")
    assert set(STATIC_SCORERS) <= set(fast.blend.scorers())
    (found,) = fast.infer(["Experience of programming in Python and writing SQL queries."], 10)
    assert "Python (computer programming)" in [s.label for s in found]
