from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang import clock
from overgang.organisations.models import Organisation
from overgang.patients.access import PatientLinkedQuerySet, ScopedQuerySet, patient_scope
from overgang.patients.names import Query, family_name, given_names, name_keys, parse
from overgang.patients.national_id import IdKind, Sex
from overgang.rules.registry import Agreement, agreement_for_municipality


class Residence(models.TextChoices):
    HOME = "home", _("at home")
    INSTITUTION = "institution", _("in an institution")


class PatientQuerySet(ScopedQuerySet["Patient"]):
    def scope(self, user: Any, action: str) -> models.Q:
        """The patients `user` may `action` (see overgang.patients.access)."""
        return patient_scope(user, action)

    def search(self, text: str) -> PatientQuerySet:
        """By national ID (whole or its first digits), date of birth, or the start of a name
        in either order ("Kari Nordm", "Nordmann, Kari"), accents and case folded
        (overgang.patients.names). A search that cannot match anyone (too many digits, a
        date that does not exist) finds no one; an empty one finds everyone."""
        return self.matching(parse(text))

    def matching(self, query: Query) -> PatientQuerySet:
        if query.problem == "empty":
            return self
        if not query.searches:
            return self.none()
        if query.national_id:
            # A range rather than LIKE: SQLite cannot use an index for LIKE … ESCAPE, and
            # for strings of digits the two select the same rows.
            digits = query.national_id
            return self.filter(national_id__gte=digits, national_id__lte=digits.ljust(11, "9"))
        if query.birth_date:
            return self.filter(birth_date=query.birth_date)
        return self.filter(
            models.Q(search_name__startswith=query.name)
            | models.Q(search_reversed__startswith=query.name)
        )

    def find(self, text: str, *, sort: str = "name") -> PatientQuerySet:
        """Search and sort, as the patient list, the API and the access log all do."""
        query = parse(text)
        found = self.matching(query)
        ordering = PATIENT_SORTS[sort]
        if query.name or query.birth_date:
            # The patients whose names start alike lie together in sort_name order, which
            # the planner cannot know: walking the sort_name index from "A" and filtering
            # read 70,000 rows for "nordm" among 100,000 patients. Sorting by an expression
            # no index serves makes it take the few matches from the search indexes first.
            ordering = tuple(_unindexed(field) for field in ordering)
        return found.order_by(*ordering)


PATIENT_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "born": ("birth_date", "id"),
    "-born": ("-birth_date", "-id"),
    "municipality": ("municipality__name", "district__name", "sort_name", "id"),
    "-municipality": ("-municipality__name", "-district__name", "sort_name", "id"),
}


class Unindexed(models.Func):
    """A text column unchanged, in a form no index matches (see PatientQuerySet.find)."""

    template = "(%(expressions)s || '')"
    output_field = models.CharField()


def _unindexed(field: str) -> Any:
    if field.lstrip("-") != "sort_name":
        return field
    expression = Unindexed("sort_name")
    return expression.desc() if field.startswith("-") else expression.asc()


class Patient(models.Model):
    national_id = models.CharField(_("national identity number"), max_length=11, unique=True)
    id_kind = models.CharField(_("kind of number"), max_length=3, choices=IdKind.choices)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    name = models.CharField(_("name"), max_length=200)
    # Derived from `name` on save; indexed for search by the start of a name.
    sort_name = models.CharField(max_length=200, editable=False)
    # Folded (overgang.patients.names): "kari nordmann" and, family name first, "nordmann kari".
    search_name = models.CharField(max_length=200, editable=False)
    search_reversed = models.CharField(max_length=200, editable=False)

    address = models.CharField(_("registered address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    post_town = models.CharField(_("post town"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="residents",
        limit_choices_to={"kind": "municipality"},
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="district_residents",
        null=True,
        blank=True,
        limit_choices_to={"kind": "district"},
    )
    residence = models.CharField(
        _("current residence"), max_length=12, choices=Residence.choices, default=Residence.HOME
    )
    institution = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="institution_residents",
        null=True,
        blank=True,
    )
    # Follows from the registered address under the agreement (O1); set by the writers.
    responsible_hospital = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible hospital"),
        on_delete=models.PROTECT,
        related_name="catchment_patients",
        null=True,
        blank=True,
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    language = models.CharField(_("language"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(
                fields=["search_name"],
                name="patient_search_name",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["search_reversed"],
                name="patient_search_reversed",
                opclasses=["varchar_pattern_ops"],
            ),
            # A search by date of birth.
            models.Index(fields=["birth_date", "id"], name="patient_birth_date"),
            models.Index(fields=["sort_name", "id"], name="patient_sort_name"),
            models.Index(fields=["municipality", "sort_name"], name="patient_municipality"),
            models.Index(fields=["district", "sort_name"], name="patient_district"),
            models.Index(fields=["responsible_hospital", "sort_name"], name="patient_hospital"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_names()
        super().save(*args, **kwargs)

    def derive_names(self) -> None:
        family, given = family_name(self.name), given_names(self.name)
        self.sort_name = f"{family}, {given}" if given else family
        self.search_name, self.search_reversed = name_keys(self.name)

    @property
    def formatted_national_id(self) -> str:
        if self.id_kind == IdKind.CPR:
            return f"{self.national_id[:6]}-{self.national_id[6:]}"
        return f"{self.national_id[:6]} {self.national_id[6:]}"

    def agreement_today(self) -> Agreement:
        """The agreement that covers the patient's municipality today, on the clock of its
        country; RulesError where none does."""
        return agreement_for_municipality(
            self.municipality.number, on=clock.today_in(self.municipality.country)
        )


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("spouse or partner")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("sibling")
    GUARDIAN = "guardian", _("guardian")
    OTHER = "other", _("other")


class RelativeQuerySet(PatientLinkedQuerySet["Relative"]):
    """A relative is reached with the patient."""


class Relative(models.Model):
    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.CASCADE, related_name="relatives"
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    next_of_kin = models.BooleanField(_("next of kin"), default=False)
    # R10: minor children as relatives and relatives who need support are identified.
    minor_child = models.BooleanField(_("minor child"), default=False)
    needs_support = models.BooleanField(_("needs support"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = RelativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")
        ordering = ["-next_of_kin", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class MoveInRequestQuerySet(PatientLinkedQuerySet["MoveInRequest"]):
    """A request is reached with the patient: by those who hold the record now."""


class MoveInRequest(models.Model):
    """Someone registered a person who is already a patient outside what they may see.

    They were answered as if the registration had succeeded, and were shown nothing of the
    record (docs/security.md, "Registering a patient known elsewhere"). The patient's
    current municipality and hospital see the request on the patient's page: if the person
    has moved, they change the address, and the record opens to the new area."""

    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="move_in_requests",
    )
    requested_by = models.ForeignKey(
        "auth.User", verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("registered"), default=clock.now)
    # The address as the registrant entered it: what the holder checks against.
    name = models.CharField(_("name given"), max_length=200)
    address = models.CharField(_("address given"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    post_town = models.CharField(_("post town"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = MoveInRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration from another area")
        verbose_name_plural = _("registrations from other areas")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.district or self.municipality}"
