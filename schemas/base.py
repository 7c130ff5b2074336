"""Shared base model and closed vocabularies (CONTRACT.md): every boundary is frozen and strict."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Frozen, no extra fields: a typo in a field name fails loudly instead of being dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Lang = Literal["zh", "en"]
PageQuality = Literal["ok", "garbled", "no_text", "recovered"]
BlockKind = Literal[
    "heading", "paragraph", "caption", "footnote", "header", "footer",
    "table", "figure_text", "reference", "list",
]
DocStatus = Literal["ok", "failed"]
Reason = Literal[
    "empty_file", "not_pdf", "too_large", "too_many_pages", "encrypted", "truncated",
    "malformed", "parse_error", "timeout", "memory_limit", "worker_crashed",
    "no_text_layer", "garbled_text",
]
REASONS: tuple[str, ...] = Reason.__args__  # type: ignore[attr-defined]

TargetKind = Literal[
    "net_zero", "carbon_neutrality", "climate_neutrality", "emissions_peak",
    "emissions_reduction", "intensity_reduction", "energy_consumption", "capacity",
    "production", "share", "count", "investment", "temperature_limit", "other",
]
Qualifier = Literal["approx", "at_least", "more_than", "at_most", "below"]
DeadlineType = Literal["by", "before", "around", "in", "after"]
DatePrecision = Literal["day", "month", "year", "quarter", "season", "decade", "range"]
DateRole = Literal["event", "target", "publication", "issued", "received", "reference"]
Horizon = Literal["near", "near_medium", "medium", "medium_long", "long"]
Stage = Literal["research", "demonstration", "deployment"]
TechCategory = Literal["zero_carbon_energy", "low_carbon_industry", "sinks_negative_emissions"]
TechOrigin = Literal["table", "figure", "text"]
Verdict = Literal["accepted", "rejected", "corrected"]
