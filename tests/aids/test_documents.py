"""The loan slip (N8) and the device labels (O8), read back as a user would read them."""

import datetime
import io

import pytest
from pypdf import PdfReader

from overgang.aids import actions, documents
from overgang.audit.models import PatientRead

pytestmark = pytest.mark.django_db

BASE_URL = "http://127.0.0.1:8000"
mm = 72 / 25.4  # points


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The words of all pages, one space between them (as they would be read aloud)."""
    return " ".join(" ".join(page.extract_text().split()) for page in read(pdf).pages)


@pytest.fixture
def loan(ventilator, frogner_patient, ous_technician, manuals):
    return actions.lend_device(
        ventilator,
        frogner_patient,
        actor=ous_technician,
        expected_end=datetime.date(2031, 6, 30),
        manual_handed_over=True,
    )


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def register(areas, system, count, *, owner="ous-bhm", prefix="CP"):
    return [
        actions.register_device(
            actor=system, aid_type="cpap", serial=f"{prefix}-{n:04d}", owner=areas[owner]
        )
        for n in range(1, count + 1)
    ]


# The slip


def test_the_norwegian_slip_says_what_is_lent_to_whom_and_that_it_must_go_back(loan):
    text = text_of(documents.loan_slip(loan, language="nb"))
    assert "Låneseddel" in text
    assert "Kari Nordmann" in text
    assert "151086 95088" in text
    assert "Hjemmerespirator" in text
    assert "HV-0001" in text
    assert "04 03 12" in text
    assert "midlertidig" in text
    assert "leveres tilbake" in text
    assert "henter og leverer du selv" in text


def test_the_slip_names_the_lending_unit_as_the_contact(loan):
    text = text_of(documents.loan_slip(loan, language="nb"))
    assert "Avdeling for behandlingshjelpemidler" in text
    assert "Prøvegata 3, 0450 Oslo" in text
    assert "23 00 10 16" in text
    assert "ous-bhm@example.no" in text
    assert "Man–fre 08:00–15:00" in text


def test_the_slip_gives_the_dates_and_what_the_patient_was_given(loan):
    loan.started_at = datetime.datetime(2030, 1, 31, 23, 30, tzinfo=datetime.UTC)
    text = text_of(documents.loan_slip(loan, language="nb"))
    # Half past midnight in Oslo is already the first of February.
    assert "Utlånsdato 01.02.2030" in text
    assert "Forventet sluttdato 30.06.2031" in text
    assert "Bruksanvisning utlevert Ja" in text
    assert "Opplæring i bruk gitt Nei" in text


def test_the_slip_has_lines_to_sign_and_a_footer_with_the_loan_and_page(loan):
    text = text_of(documents.loan_slip(loan, language="nb"))
    assert "signatur, pasient eller pårørende" in text
    assert "signatur, utlånende enhet" in text
    assert f"Lån nr. {loan.pk} · Side 1 av 1" in text


def test_the_danish_slip_is_in_danish_only(loan):
    text = text_of(documents.loan_slip(loan, language="da"))
    assert "midlertidigt" in text
    assert "tilbageleveres" in text
    assert "Udlånsdato" in text
    assert "Brugsanvisning udleveret Ja" in text
    assert "Instruktion i brug givet Nej" in text
    assert f"Udlån nr. {loan.pk} · Side 1 af 1" in text
    for norwegian in ("leveres tilbake", "Utlånsdato", "Nei", "Viktig å vite", "E-post"):
        assert norwegian not in text


def test_a_danish_unit_writes_danish_by_default(areas):
    assert documents.default_language(areas["rn-depot"]) == "da"
    assert documents.default_language(areas["ous-bhm"]) == "nb"


def test_a_slip_is_one_a4_page(loan):
    (page,) = read(documents.loan_slip(loan, language="nb")).pages
    assert round(float(page.mediabox.width)) == 595
    assert round(float(page.mediabox.height)) == 842


# The labels


def test_a_label_names_the_owner_its_phone_the_aid_and_the_serial(ventilator):
    text = text_of(documents.device_labels([ventilator], layout="a4", base_url=BASE_URL))
    assert "Oslo universitetssykehus HF" in text
    assert "Avdeling for behandlingshjelpemidler" in text
    assert "Prøvegata 3, 0450 Oslo" in text
    assert "Tlf. 23 00 10 16" in text
    assert "Hjemmerespirator" in text
    assert "HV-0001" in text


def test_a_roll_label_is_62_by_29_millimetres(ventilator):
    (page,) = read(documents.device_labels([ventilator], layout="roll62", base_url=BASE_URL)).pages
    assert float(page.mediabox.width) == pytest.approx(62 * mm, abs=1)
    assert float(page.mediabox.height) == pytest.approx(29 * mm, abs=1)
    assert "HV-0001" in page.extract_text()


def test_a_roll_prints_one_label_a_page(areas, system):
    devices = register(areas, system, 3)
    pdf = documents.device_labels(devices, layout="roll62", base_url=BASE_URL)
    assert [page.extract_text().count("CP-") for page in read(pdf).pages] == [1, 1, 1]


def serial_positions(page) -> list[tuple[float, float]]:
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.startswith("CP-"):
            found.append((round(tm[4]), round(tm[5])))

    page.extract_text(visitor_text=visit)
    return found


def test_fifteen_labels_fill_a_sheet_of_two_by_seven_and_start_another(areas, system):
    devices = register(areas, system, 15)
    pages = read(documents.device_labels(devices, layout="a4", base_url=BASE_URL)).pages
    assert len(pages) == 2
    first = serial_positions(pages[0])
    assert len(first) == 14
    assert len({x for x, _y in first}) == 2
    assert len({y for _x, y in first}) == 7
    assert len(serial_positions(pages[1])) == 1
    assert "CP-0015" in pages[1].extract_text()


def test_the_qr_code_opens_the_device_phone_page(ventilator):
    assert documents.device_label_url(ventilator, BASE_URL) == "http://127.0.0.1:8000/d/HV-0001/"
    assert documents.device_label_url(ventilator, BASE_URL + "/") == (
        "http://127.0.0.1:8000/d/HV-0001/"
    )


def test_a_serial_with_odd_characters_makes_a_safe_url(areas, system):
    (device,) = [
        actions.register_device(
            actor=system, aid_type="cpap", serial="A/B 7", owner=areas["ous-bhm"]
        )
    ]
    assert documents.device_label_url(device, BASE_URL) == "http://127.0.0.1:8000/d/A%2FB%207/"


def test_every_label_draws_a_qr_code_of_its_own_device(areas, system, monkeypatch):
    encoded: list[str] = []

    class Recording(documents.labels.QrCodeWidget):
        def __init__(self, value, **kwargs):
            encoded.append(value)
            super().__init__(value, **kwargs)

    monkeypatch.setattr(documents.labels, "QrCodeWidget", Recording)
    devices = register(areas, system, 3)
    documents.device_labels(devices, layout="a4", base_url=BASE_URL)
    assert encoded == [f"{BASE_URL}/d/CP-000{n}/" for n in (1, 2, 3)]


def test_a_danish_depot_labels_in_danish(areas, system):
    (device,) = register(areas, system, 1, owner="aalborg-depot")
    text = text_of(documents.device_labels([device], layout="a4", base_url=BASE_URL))
    assert "Hjælpemiddeldepotet, Aalborg Kommune" in text
    assert "Tlf. 98 00 10 15" in text


# The pages


def test_the_unit_that_lent_the_device_prints_the_slip(as_user, ous_technician, loan):
    response = as_user(ous_technician).get(f"/loans/{loan.pk}/slip.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="laneseddel-{loan.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "leveres tilbake" in text_of(response.content)


def test_printing_the_slip_is_logged_as_a_read_of_the_patient(
    as_user, ous_technician, loan, frogner_patient
):
    as_user(ous_technician).get(f"/loans/{loan.pk}/slip.pdf")
    read_ = PatientRead.objects.get()
    assert (read_.user, read_.patient, read_.purpose) == (
        ous_technician,
        frogner_patient,
        "loan-slip",
    )


def test_the_slip_page_prints_danish_when_asked(as_user, ous_technician, loan):
    response = as_user(ous_technician).get(f"/loans/{loan.pk}/slip.pdf", {"lang": "da"})
    assert response["Content-Disposition"] == f'inline; filename="udlaan-{loan.pk}.pdf"'
    assert "tilbageleveres" in text_of(response.content)


def test_an_unknown_language_falls_back_to_the_owners_language(as_user, ous_technician, loan):
    response = as_user(ous_technician).get(f"/loans/{loan.pk}/slip.pdf", {"lang": "sv"})
    assert response.status_code == 200
    assert "leveres tilbake" in text_of(response.content)


def test_an_outsider_finds_no_slip_and_no_read_is_logged(as_user, tromso_case_worker, loan):
    response = as_user(tromso_case_worker).get(f"/loans/{loan.pk}/slip.pdf")
    assert response.status_code == 404
    assert not PatientRead.objects.exists()


def test_documents_need_a_login(client, loan):
    for path in (f"/loans/{loan.pk}/slip.pdf", "/devices/HV-0001/label.pdf"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_the_owner_prints_a_roll_label_by_default(as_user, ous_technician, ventilator):
    response = as_user(ous_technician).get("/devices/HV-0001/label.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="etikett-HV-0001.pdf"'
    (page,) = read(response.content).pages
    assert float(page.mediabox.width) == pytest.approx(62 * mm, abs=1)


def test_the_label_page_encodes_the_host_it_was_asked_on(
    as_user, ous_technician, ventilator, monkeypatch
):
    encoded: list[str] = []
    monkeypatch.setattr(
        documents.labels, "_draw_qr", lambda canvas, url, *args: encoded.append(url)
    )
    as_user(ous_technician).get("/devices/HV-0001/label.pdf", {"layout": "a4"})
    assert encoded == ["http://testserver/d/HV-0001/"]


def test_an_unknown_layout_is_refused(as_user, ous_technician, ventilator):
    response = as_user(ous_technician).get("/devices/HV-0001/label.pdf", {"layout": "a5"})
    assert response.status_code == 400


def test_an_outsider_finds_no_label(as_user, tromso_case_worker, ventilator):
    response = as_user(tromso_case_worker).get("/devices/HV-0001/label.pdf")
    assert response.status_code == 404


def test_the_owner_prints_a_sheet_of_labels_in_the_order_asked(
    as_user, ous_technician, areas, system
):
    register(areas, system, 3)
    response = as_user(ous_technician).get(
        "/devices/labels.pdf", {"serial": ["CP-0003", "CP-0001"], "layout": "a4"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert text.index("CP-0003") < text.index("CP-0001")
    assert "CP-0002" not in text


def test_a_sheet_with_an_unknown_or_foreign_serial_is_not_found(
    as_user, ous_technician, areas, system
):
    register(areas, system, 1)
    register(areas, system, 1, owner="aalborg-depot", prefix="DK")
    client = as_user(ous_technician)
    for serials in (["CP-0001", "CP-0404"], ["CP-0001", "DK-0001"]):
        response = client.get("/devices/labels.pdf", {"serial": serials})
        assert response.status_code == 404


def test_a_sheet_of_no_labels_is_a_bad_request(as_user, ous_technician):
    response = as_user(ous_technician).get(
        "/devices/labels.pdf", {"serial": ["", " "]}, headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "at least one device" in response.content.decode()


def test_the_slip_of_a_set_lists_every_device_and_the_therapy(
    areas, system, frogner_patient, ous_technician, manuals
):
    concentrator, cylinder = (
        actions.register_device(actor=system, aid_type=kind, serial=serial, owner=areas["ous-bhm"])
        for kind, serial in (("oxygen-concentrator", "OC-7"), ("portable-oxygen-cylinder", "PC-7"))
    )
    loan = actions.lend_device(
        concentrator,
        frogner_patient,
        actor=ous_technician,
        therapy="long-term-oxygen",
        companions=[cylinder],
        manual_handed_over=True,
    )
    text = text_of(documents.loan_slip(loan, language="nb"))
    assert "Behandling Langtids oksygenbehandling" in text
    # "Lent to" heads whom it is lent to, once; the therapy has its own word (issue 19).
    assert text.count("Lånt ut til") == 1
    danish = text_of(documents.loan_slip(loan, language="da"))
    assert danish.count("Udlånt til") == 1 and "Behandling" in danish
    assert "Lånt ut sammen" in text and "OC-7" in text and "PC-7" in text
    assert "Bærbar oksygenflaske PC-7 del av behandlingen Ja" in text
    assert f"Bruksanvisning {manuals['oxygen-concentrator'].title}" in text
    assert "Står på adressen Skovveien 12" in text
