from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from overgang.organisations.models import Country, Kind
from overgang.patients.models import Relation, Residence
from overgang.patients.national_id import IdKind, Sex


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    id: int
    token: str
    expires_at: datetime.datetime


class TokenListed(Schema):
    id: int
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    current: bool


class Revoked(Schema):
    revoked: int


class OrganisationRef(Schema):
    id: int
    key: str
    name: str
    number: str = ""


class OrganisationOut(Schema):
    id: int
    key: str
    kind: Kind
    name: str
    parent: str | None = Field(None, alias="parent.key")
    country: Country
    number: str
    her_id: str
    sor_id: str
    address: str
    phone: str
    email: str
    opening_hours: str


class RelativeOut(Schema):
    id: int
    name: str
    relation: Relation
    phone: str
    next_of_kin: bool
    minor_child: bool
    needs_support: bool


class PatientIn(Schema):
    national_id: str = Field(examples=["15108695088"])
    name: str = Field(min_length=1, max_length=200, examples=["Kari Nordmann"])
    municipality: str = Field(examples=["Oslo"], description="Name or official number.")
    district: str = Field("", examples=["Frogner"], description="Required in Oslo (bydel).")
    address: str = Field(min_length=1, max_length=200, examples=["Skovveien 12"])
    postcode: str = Field("", max_length=10)
    post_town: str = Field("", max_length=100)
    residence: Literal["home", "institution"] = "home"
    institution: str | None = Field(None, description="Key of the nursing home or hospital.")
    interpreter_needed: bool = False
    language: str = Field("", max_length=60)


class PatientOut(Schema):
    id: int
    national_id: str
    id_kind: IdKind
    birth_date: datetime.date
    sex: Sex
    name: str
    address: str
    postcode: str
    post_town: str
    municipality: OrganisationRef
    district: OrganisationRef | None
    residence: Residence
    institution: OrganisationRef | None
    responsible_hospital: OrganisationRef | None = Field(
        description="The hospital (trust or region) that serves the registered address (O1)."
    )
    interpreter_needed: bool
    language: str
    relatives: list[RelativeOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class PatientSummary(Schema):
    id: int
    national_id: str
    name: str
    birth_date: datetime.date
    municipality: str = Field(alias="municipality.name")
    district: str | None = Field(None, alias="district.name")


class PatientPage(Schema):
    count: int
    results: list[PatientSummary]


class Message(Schema):
    detail: str
