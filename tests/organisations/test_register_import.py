"""`overgang organisations import FILE|-`: the organisation register as CSV
(docs/contracts/messages.md)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from overgang.audit.models import ChangeAction, ChangeRecord
from overgang.organisations.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "key,name,kind,country,parent,number,her_id,sor_id,address,phone,email\n"
# A new hospital in Norway with a ward listed before it, a Danish home-care unit, and
# an existing organisation (Tromsø kommune) with a new phone number.
REGISTER = HEADER + (
    "test-ward,Testpost,department,NO,test-hospital,,8800002,,,,post@example.no\n"
    "test-hospital,Testsykehus,hospital,NO,,,8800001,,Testveien 1,11 22 33 44,\n"
    "test-hjemmepleje,Test Hjemmepleje,home_nursing,DK,aalborg,,,880000000000001,,,\n"
)


def run(tmp_path: Path, text: str) -> str:
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("organisations", "import", str(path), stdout=out)
    return out.getvalue().strip()


def refused(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    before = sorted(Organisation.objects.values_list("key", "name", "parent", "her_id", "sor_id"))
    history = ChangeRecord.objects.count()
    with pytest.raises(SystemExit) as exit_:
        run(tmp_path, text)
    assert exit_.value.code == 2
    after = sorted(Organisation.objects.values_list("key", "name", "parent", "her_id", "sor_id"))
    assert after == before
    assert ChangeRecord.objects.count() == history
    return capsys.readouterr().err


def test_import_creates_and_counts_and_a_second_run_changes_nothing(tmp_path, areas):
    assert run(tmp_path, REGISTER) == "created 3, changed 0, unchanged 0"
    ward = Organisation.objects.get(key="test-ward")
    assert ward.parent is not None and ward.parent.key == "test-hospital"  # forward reference
    assert ward.her_id == "8800002"
    assert Organisation.objects.get(key="test-hjemmepleje").sor_id == "880000000000001"
    assert Organisation.objects.get(key="test-hjemmepleje").parent.key == "aalborg"
    assert run(tmp_path, REGISTER) == "created 0, changed 0, unchanged 3"


def test_import_changes_an_existing_organisation_and_writes_history(tmp_path, areas):
    tromso = Organisation.objects.get(key="tromso")
    row = (
        f"tromso,{tromso.name},{tromso.kind},{tromso.country},"
        f"{tromso.parent.key if tromso.parent else ''},{tromso.number},8899999,,"
        f'"{tromso.address}",99 88 77 66,{tromso.email}\n'
    )
    assert run(tmp_path, REGISTER + row) == "created 3, changed 1, unchanged 0"
    tromso.refresh_from_db()
    assert (tromso.her_id, tromso.phone) == ("8899999", "99 88 77 66")
    change = ChangeRecord.objects.get(
        model="organisations.organisation", object_id=str(tromso.pk), action=ChangeAction.CHANGED
    )
    assert change.changes["phone"][1] == "99 88 77 66"
    assert change.channel == "command:organisations"
    assert change.actor.username == "overgang-system"
    created = ChangeRecord.objects.filter(
        model="organisations.organisation",
        action=ChangeAction.CREATED,
        channel="command:organisations",
    )
    assert created.count() == 3


def test_import_reads_standard_input(monkeypatch, areas):
    monkeypatch.setattr(sys, "stdin", io.StringIO(REGISTER))
    out = io.StringIO()
    call_command("organisations", "import", "-", stdout=out)
    assert out.getvalue().strip() == "created 3, changed 0, unchanged 0"
    assert Organisation.objects.filter(key="test-hospital").exists()


BAD_ROWS = [
    # (the last row of the file, the column named, words of the message)
    ("castle,Borg,castle,NO,,,,,,,", "kind", "unknown kind"),
    ("castle,Borg,hospital,SE,,,,,,,", "country", "unknown country"),
    ("castle,Borg,hospital,NO,,,88A1,,,,", "her_id", "digits only"),
    ("castle,Borg,hospital,DK,,,,12-3,,,", "sor_id", "digits only"),
    ("castle,Borg,hospital,NO,,,8800001,,,,", "her_id", "test-hospital"),
    ("castle,Borg,hospital,NO,,,,,,,not-an-address", "email", "e-mail"),
    ("castle,Borg,hospital,NO,nowhere,,,,,,", "parent", "nowhere"),
    ("castle,Borg,hospital,NO,castle,,,,,,", "parent", "itself"),
    ("test-hospital,Testsykehus,hospital,NO,,,,,,,", "key", "line 3"),
    ("castle,,hospital,NO,,,,,,,", "name", "required"),
]


@pytest.mark.parametrize(("row", "column", "words"), BAD_ROWS)
def test_a_bad_row_names_line_and_column_and_changes_nothing(
    tmp_path, capsys, areas, row, column, words
):
    # The register's three good rows are lines 2-4; the bad one is line 5.
    error = refused(tmp_path, REGISTER + row + "\n", capsys)
    assert f"line 5, column {column}:" in error
    assert words in error
    assert not Organisation.objects.filter(key__in=["test-hospital", "castle"]).exists()


def test_a_her_id_already_held_by_a_stored_organisation_is_refused(tmp_path, capsys, areas):
    taken = Organisation.objects.exclude(her_id="").first()
    assert taken is not None
    error = refused(tmp_path, HEADER + f"castle,Borg,hospital,NO,,,{taken.her_id},,,,\n", capsys)
    assert "line 2, column her_id:" in error
    assert taken.key in error


def test_a_cycle_within_the_file_is_refused(tmp_path, capsys, areas):
    rows = "loop-a,A,department,NO,loop-b,,,,,,\nloop-b,B,hospital,NO,loop-a,,,,,,\n"
    error = refused(tmp_path, HEADER + rows, capsys)
    assert "line 2, column parent:" in error
    assert "part of itself" in error


def test_a_cycle_through_stored_organisations_is_refused(tmp_path, capsys, areas):
    # Oslo kommune made part of one of its own districts.
    oslo = Organisation.objects.get(key="oslo")
    row = f"oslo,{oslo.name},{oslo.kind},NO,oslo-frogner,{oslo.number},{oslo.her_id},,,,\n"
    error = refused(tmp_path, HEADER + row, capsys)
    assert "line 2, column parent:" in error


def test_a_missing_column_is_refused_on_line_one(tmp_path, capsys, areas):
    error = refused(
        tmp_path, HEADER.replace(",sor_id", "") + "castle,Borg,hospital,NO,,,,,,\n", capsys
    )
    assert "line 1, column sor_id:" in error


def test_the_demo_organisations_are_addressable():
    """Every organisation of the demo data carries its HER-id (Norway) or SOR-id (Denmark)."""
    for org in Organisation.objects.all():
        assert org.her_id if org.country == "NO" else org.sor_id, org.key


def test_the_pages_and_the_api_show_her_and_sor_ids(client, frogner_case_worker, settings):
    client.force_login(frogner_case_worker)
    ous = Organisation.objects.get(key="ous-bhm")
    aalborg = Organisation.objects.get(key="aalborg")
    assert ous.her_id in client.get("/organisations/ous-bhm/").content.decode()
    assert aalborg.sor_id in client.get("/organisations/aalborg/").content.decode()
    listing = client.get("/organisations/", {"q": "Aalborg Kommune"}).content.decode()
    assert aalborg.sor_id in listing
    assert "HER-id / SOR-id" in listing
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    listing = client.get("/organisations/", {"q": "Aalborg Kommune"}).content.decode()
    assert aalborg.sor_id in listing
    assert "HER-id / SOR-id" in listing
    found = client.get("/api/v1/organisations", {"kind": "municipality", "country": "DK"}).json()
    assert aalborg.sor_id in {o["sor_id"] for o in found}
    assert client.get("/api/v1/organisations/ous-bhm").json()["her_id"] == ous.her_id
