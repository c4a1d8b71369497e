"""Reading a round's progress and results, for the facilitator, the projector and participants."""

from __future__ import annotations

from dataclasses import replace

from ranking.methods import RankingOptions
from ranking.model import RankingInputError
from workshop.ballot import ballot_criterion
from workshop.errors import InvalidInput, NoResultsYet, NotFound, PermissionDenied
from workshop.models import (
    DEFAULT_SHORTLIST_SIZE,
    BallotRule,
    MyAllocation,
    MyRanking,
    MyScores,
    Participant,
    ParticipantProgress,
    Progress,
    ProgressStatus,
    RoomProgress,
    Round,
    RoundKind,
    RoundState,
    Workshop,
)
from workshop.results import (
    ParticipantView,
    RankingRoundResults,
    RankingView,
    RoundResults,
    ScoringResults,
    ScoringView,
    WeightingResults,
    WeightingView,
    ranking_results,
    scoring_results,
    weighting_results,
)
from workshop.said import Said, consultation_rounds, said_of
from workshop.service.base import NO_ROUND, NOT_REVEALED, ServiceBase
from workshop.store import Transaction


class ResultsMixin(ServiceBase):
    def progress(self, key: str, round_id: int) -> Progress:
        """Who has answered how much of the round (everyone who has joined)."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return self._progress(tx, workshop_id, self._round(tx, round_id))

    def room_progress(self, code: str, round_id: int) -> RoomProgress:
        """How far the room has got, as counts only: for the public projector
        view, so no key is needed and no name, group or answer is given."""
        with self._store.read() as tx:
            rnd = self._public_round(tx, code, round_id)
            return RoomProgress.of(self._progress(tx, rnd.workshop_id, rnd))

    def public_results(self, code: str, round_id: int) -> ParticipantView:
        """A revealed round's aggregate result for the projector (no key
        needed, so nobody's individual answers), ranked with the workshop's
        ranking options.  Refused until the facilitator reveals the round,
        checked in the same read as the results are computed."""
        with self._store.read() as tx:
            rnd = self._public_round(tx, code, round_id)
            if rnd.state is not RoundState.REVEALED:
                raise PermissionDenied(NOT_REVEALED)
            return self._room_view(tx, rnd, None)

    @staticmethod
    def _public_round(tx: Transaction, code: str, round_id: int) -> Round:
        workshop_id = ServiceBase._workshop_id_of(tx, code)
        rnd = tx.round(round_id)
        if rnd is None or rnd.workshop_id != workshop_id:
            raise NotFound(NO_ROUND)
        return rnd

    @staticmethod
    def _progress(tx: Transaction, workshop_id: int, rnd: Round) -> Progress:
        n_criteria = 1 if rnd.young_ballot else len(tx.criteria(workshop_id))
        total = {
            RoundKind.SCORING: len(rnd.priority_ids) * n_criteria,
            RoundKind.WEIGHTING: n_criteria,
            RoundKind.RANKING: rnd.ranking_length,
        }[rnd.kind]
        scoring_ballot = rnd.young_ballot and rnd.kind is RoundKind.SCORING  # a pick ballot's are rankings
        counts = dict(tx.ballot_counts(rnd.id) if scoring_ballot else tx.answer_counts(rnd.id, rnd.kind))
        shares = dict(tx.shares(rnd.id)) if rnd.share is not None else {}
        rows = []
        for p in tx.participants(workshop_id):
            if p.removed_at is not None or not rnd.open_to(p.group_id):
                continue  # removed (kept answers still count in the results), or not in the round's audience
            if rnd.share is not None:  # their share's cells (a balanced share's size until it is given)
                total = n_criteria * len(shares.get(p.id, ())) or n_criteria * (rnd.share.size or len(rnd.priority_ids))
            answered = counts.get(p.id, 0)
            status = (
                ProgressStatus.NOT_STARTED
                if answered == 0
                else ProgressStatus.DONE
                if answered >= total
                else ProgressStatus.IN_PROGRESS
            )
            rows.append(ParticipantProgress(p.id, p.label, p.group, answered, total, p.last_seen, status))
        return Progress(rnd.id, tuple(rows))

    def results(self, key: str, round_id: int, options: RankingOptions | None = None) -> RoundResults:
        """The round's full results, individual answers included (facilitator
        only, at any time), ranked with ``options`` (the Results page trying
        another method) or by default with the workshop's ranking options."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            rnd = self._round(tx, round_id)
            return self._results(tx, rnd, options)

    def participant_results(self, token: str, round_id: int) -> ParticipantView:
        """A revealed round's aggregate result, ranked with the workshop's
        ranking options, plus the participant's own answers; never anyone
        else's."""
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd = self._participant_round(tx, participant, round_id)
            if rnd.state is not RoundState.REVEALED:
                raise PermissionDenied(NOT_REVEALED)
            return self._room_view(tx, rnd, participant.id)

    @classmethod
    def _room_view(cls, tx: Transaction, rnd: Round, participant_id: int | None) -> ParticipantView:
        """The room's aggregate result (the workshop's ranking options) with
        one participant's own answers (none when ``participant_id`` is None:
        the projector's view)."""
        full = cls._results(tx, rnd, None)
        if isinstance(full, ScoringResults):
            read = tx.participant_ballot if rnd.young_ballot else tx.participant_scores
            mine = () if participant_id is None else read(rnd.id, participant_id)
            return ScoringView(rnd, full.ranking, MyScores(rnd.id, mine))
        if isinstance(full, WeightingResults):
            points = () if participant_id is None else tx.participant_allocation(rnd.id, participant_id)
            return WeightingView(rnd, full.room, MyAllocation(rnd.id, points))
        assert isinstance(full, RankingRoundResults)
        order = () if participant_id is None else tx.participant_ranking(rnd.id, participant_id)
        return RankingView(rnd, full.tally, MyRanking(rnd.id, order))

    @staticmethod
    def _results(tx: Transaction, rnd: Round, options: RankingOptions | None) -> RoundResults:
        """The round's results; scoring rounds ranked with ``options``, or the workshop's own when None."""
        workshop_id = rnd.workshop_id

        def answered(participant_ids: set[int]) -> list[Participant]:
            found = [p for p in tx.participants(workshop_id) if p.id in participant_ids]
            if not found:
                raise NoResultsYet(f"Nobody has answered {rnd.short_label} yet.")
            return found

        priorities = [p for p in tx.priorities(workshop_id) if p.id in rnd.priority_ids]
        try:
            if rnd.kind is RoundKind.SCORING:
                # A young people's ballot is a scoring round of one question (workshop.ballot).
                table = tx.ballot_table(rnd.id) if rnd.young_ballot else tx.score_table(rnd.id)
                criteria = (ballot_criterion(),) if rnd.young_ballot else tx.criteria(workshop_id)
                participants = answered(set(table.participant_ids.tolist()))
                ranking = options or tx.ranking(workshop_id) or RankingOptions()
                return scoring_results(rnd, priorities, criteria, participants, table, ranking)
            if rnd.kind is RoundKind.WEIGHTING:
                allocations = tx.allocations(rnd.id)
                participants = answered({r.participant_id for r in allocations})
                return weighting_results(rnd, tx.criteria(workshop_id), participants, allocations)
            rankings = tx.rankings(rnd.id)
            rule, top = tx.ballot_rule(workshop_id) or (BallotRule.BORDA, DEFAULT_SHORTLIST_SIZE)
            people = answered({r.participant_id for r in rankings})
            return ranking_results(rnd, priorities, people, rankings, rule, top)
        except RankingInputError as exc:
            raise InvalidInput(f"The results cannot be computed: {exc}.") from None

    # ------------------------------------------------------------------ consultations (workshop.said)

    def consultations(self, key: str, workshop_id: int) -> tuple[Said, ...]:
        """What each consultation round that has run said (a young people's ballot, closed or
        revealed), in round order: for the Results page and the board paper (facilitator only)."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            workshop = self._load(tx, workshop_id)
            return self._said(tx, workshop, consultation_rounds(workshop))

    def consultation_evidence(self, token: str, round_id: int) -> tuple[Said, ...]:
        """What the consultation rounds before this round said, as evidence on its cards.  A
        consultation's aggregate result (never an answer of anyone's) is evidence put before the room:
        the participants of a later round see it once the consultation has closed."""
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd = self._participant_round(tx, participant, round_id)
            workshop = self._load(tx, rnd.workshop_id)
            return self._said(tx, workshop, consultation_rounds(workshop, before=rnd))

    def _said(self, tx: Transaction, workshop: Workshop, rounds: tuple[Round, ...]) -> tuple[Said, ...]:
        """What ``rounds`` said, remembered on a key of everything it is made of: the workshop as read
        (its rounds as they stand, settings, criteria and groups; not its version, which every save
        bumps) and the rounds' answers (``answers_mark``).  Every full run of a later round's page
        asks for it, and ranking a consultation of 650 respondents again cost about 60 ms a time."""
        if not rounds:
            return ()
        key = (replace(workshop, version=0), tuple(r.id for r in rounds), tx.answers_mark([r.id for r in rounds]))
        return self._said_memo.get(key, lambda: self._said_now(tx, workshop, rounds))

    @classmethod
    def _said_now(cls, tx: Transaction, workshop: Workshop, rounds: tuple[Round, ...]) -> tuple[Said, ...]:
        found = []
        for rnd in rounds:
            try:
                results = cls._results(tx, rnd, None)
            except NoResultsYet:
                continue  # a consultation nobody answered says nothing
            found.append(said_of(results, workshop))  # a scoring ballot or a pick ballot (workshop.said)
        return tuple(found)
