"""The archive's part for converging rounds (format ``CONSENSUS_SINCE`` on): the consensus rule and the ballot rule."""

from __future__ import annotations

import msgspec

from ranking.consensus_rule import Band
from ranking.model import RankingInputError
from workshop.archive import document as d
from workshop.archive.model import CONSENSUS_SINCE, ArchiveError
from workshop.models import BallotRule, ConsensusSettings, WorkshopSetup

WHERE = "The setup: the consensus rule"


def _band_doc(band: Band | None) -> list[float] | None:
    return None if band is None else [band.low, band.high]


def converging_document(setup: WorkshopSetup) -> dict[str, object]:
    """The setup's consensus rule (bands null: the thirds of the scale) and ballot rule, JSON-ready."""
    c = setup.consensus
    return {
        "consensus": {
            "in_share": c.in_share,
            "against_share": c.against_share,
            "high_band": _band_doc(c.high_band),
            "low_band": _band_doc(c.low_band),
        },
        "ballot_rule": setup.ballot_rule.value,
    }


def _band(value: tuple[float, float] | None, which: str) -> Band | None:
    if value is None:
        return None
    try:
        return Band(*value)
    except RankingInputError as exc:
        raise ArchiveError(f"{WHERE}: the {which} band: {exc}.") from None


def read_converging(s: d.SetupDoc, version: int) -> tuple[ConsensusSettings, BallotRule]:
    """The consensus and ballot rules; the defaults (70% / 15% on the thirds, Borda) before format
    ``CONSENSUS_SINCE``.  The rule's own checks run in ``WorkshopSetup`` (named by the codec)."""
    if version < CONSENSUS_SINCE:
        return ConsensusSettings(), BallotRule.BORDA
    if isinstance(s.consensus, msgspec.UnsetType):
        raise ArchiveError("The setup: 'consensus' is missing.")
    if isinstance(s.ballot_rule, msgspec.UnsetType):
        raise ArchiveError("The setup: 'ballot_rule' is missing.")
    c = s.consensus
    settings = ConsensusSettings(c.in_share, c.against_share, _band(c.high_band, "high"), _band(c.low_band, "low"))
    try:
        rule = BallotRule(s.ballot_rule)
    except ValueError:
        names = ", ".join(f"'{r.value}'" for r in BallotRule)
        raise ArchiveError(f"The setup: the ballot rule must be one of {names}, not '{s.ballot_rule}'.") from None
    return settings, rule
