"""History rows written together at the end of a block: in the same transaction as the
change they tell of, all of them, and none when the block fails."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from overgang.audit.history import history_written_together, record_change, writer_atomic
from overgang.audit.models import ChangeAction, ChangeRecord
from overgang.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def told(org: Organisation, system, reason: str) -> None:
    record_change(org, actor=system, action=ChangeAction.CHANGED, after={"x": 1}, reason=reason)


def test_the_rows_are_written_as_the_block_ends_inside_the_transaction(system, areas):
    with transaction.atomic():
        with history_written_together():
            told(areas["levanger"], system, "first")
            told(areas["tromso"], system, "second")
            assert not ChangeRecord.objects.filter(reason__in=["first", "second"]).exists()
        written = list(ChangeRecord.objects.filter(reason__in=["first", "second"]).order_by("pk"))
    assert [(r.reason, r.object_id) for r in written] == [
        ("first", str(areas["levanger"].pk)),
        ("second", str(areas["tromso"].pk)),
    ]


def test_a_failed_block_writes_none_of_its_rows(system, areas):
    with pytest.raises(RuntimeError), transaction.atomic(), history_written_together():
        told(areas["levanger"], system, "lost")
        raise RuntimeError("the writer failed")
    assert not ChangeRecord.objects.filter(reason="lost").exists()
    # Outside a block, each row is written at once again.
    told(areas["levanger"], system, "at once")
    assert ChangeRecord.objects.filter(reason="at once").exists()


def test_an_inner_block_leaves_the_writing_to_the_outer_one(system, areas):
    with transaction.atomic(), history_written_together():
        with history_written_together():
            told(areas["levanger"], system, "inner")
        assert not ChangeRecord.objects.filter(reason="inner").exists()
    assert ChangeRecord.objects.filter(reason="inner").count() == 1


def savepoints(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)


def test_a_writer_in_a_block_written_together_sets_no_savepoint(system, areas):
    """In such a block any error aborts all of it: a savepoint would be round trips for
    nothing."""

    def write() -> None:
        with writer_atomic():
            told(areas["levanger"], system, "in one piece")

    with transaction.atomic(), history_written_together():
        assert savepoints(write) == 0
    with transaction.atomic():
        assert savepoints(write) == 1


def test_a_refused_writer_leaves_the_caller_s_transaction_usable_outside_a_block(system, areas):
    with transaction.atomic():
        with pytest.raises(RuntimeError), writer_atomic():
            told(areas["levanger"], system, "undone")
            raise RuntimeError("refused")
        told(areas["levanger"], system, "after")
    assert not ChangeRecord.objects.filter(reason="undone").exists()
    assert ChangeRecord.objects.filter(reason="after").exists()
