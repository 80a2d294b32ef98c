"""What the answers say, for the indicators (N12): of those who answered yes or no to a
question, how many said yes. "Don't know" is counted apart, in neither."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from overgang.stays.models import Stay
from overgang.survey.actions import QUESTIONS
from overgang.survey.models import Answer, Reply

# The indicator each question feeds (GET /api/v1/indicators).
INDICATOR_KEYS = {
    "delivered_on_time": "survey-delivered-on-time",
    "instruction_given": "survey-instruction-given",
    "works": "survey-aid-works",
}


def said_yes(question: str) -> Q:
    """The numerator's answers: yes."""
    return Q(**{question: Reply.YES})


def answered(question: str) -> Q:
    """The denominator's answers: yes or no ("don't know" is in neither)."""
    return Q(**{f"{question}__in": [Reply.YES, Reply.NO]})


@dataclass(frozen=True)
class QuestionFigure:
    question: str
    key: str
    yes: int
    no: int
    unsure: int

    @property
    def answered(self) -> int:
        """The denominator: the answers that say yes or no."""
        return self.yes + self.no

    @property
    def value(self) -> float | None:
        return self.yes / self.answered if self.answered else None


def survey_figures(stays: QuerySet[Stay]) -> list[QuestionFigure]:
    """The figure of each question over the answers to the given stays' surveys, in one
    aggregate query."""
    counts = {}
    for question in QUESTIONS:
        for reply in Reply.values:
            counts[f"{question}__{reply}"] = Count("pk", filter=Q(**{question: reply}))
    row = Answer.objects.filter(stay__in=stays).aggregate(**counts)
    return [
        QuestionFigure(
            question=q,
            key=INDICATOR_KEYS[q],
            yes=row[f"{q}__yes"],
            no=row[f"{q}__no"],
            unsure=row[f"{q}__unsure"],
        )
        for q in QUESTIONS
    ]
