"""Skill inference: suggest taxonomy skills (ESCO or DDaT) for free text, each with a score and
the span of text that supports it.

Pure: taxonomy entries and texts in, suggestions out. Loading the shipped taxonomy and any model
weights is the service's job (services/skill_inference.py).
"""

from mobilise.core.skills.inferencer import SkillInferencer
from mobilise.core.skills.model import Suggestion, TaxonomyEntry

__all__ = ["SkillInferencer", "Suggestion", "TaxonomyEntry"]
