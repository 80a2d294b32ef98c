from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    NORWAY = "NO", _("Norway")
    DENMARK = "DK", _("Denmark")


class Kind(models.TextChoices):
    REGION = "region", _("Regional health authority / region")
    TRUST = "trust", _("Health trust")
    HOSPITAL = "hospital", _("Hospital")
    DEPARTMENT = "department", _("Department")
    AIDS_UNIT = "aids_unit", _("Treatment-aids unit")
    PRIVATE_HOSPITAL = "private_hospital", _("Private hospital")
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT = "district", _("District")
    ALLOCATION_OFFICE = "allocation_office", _("Allocation office")
    HOME_NURSING = "home_nursing", _("Home nursing")
    NURSING_HOME = "nursing_home", _("Nursing home")
    AID_DEPOT = "aid_depot", _("Municipal aid depot")
    NAV_CENTRE = "nav_centre", _("NAV aid centre")
    PHARMACY = "pharmacy", _("Pharmacy")
    GP_PRACTICE = "gp_practice", _("GP practice")


# The two sides of every transition. Scope (who sees which patient) follows the side.
HOSPITAL_SIDE = frozenset({Kind.REGION, Kind.TRUST, Kind.HOSPITAL, Kind.DEPARTMENT, Kind.AIDS_UNIT})
MUNICIPAL_SIDE = frozenset(
    {
        Kind.MUNICIPALITY,
        Kind.DISTRICT,
        Kind.ALLOCATION_OFFICE,
        Kind.HOME_NURSING,
        Kind.NURSING_HOME,
        Kind.AID_DEPOT,
    }
)
INSTITUTIONS = frozenset({Kind.NURSING_HOME, Kind.HOSPITAL, Kind.PRIVATE_HOSPITAL})


class Organisation(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    number = models.CharField(
        _("official number"),
        max_length=10,
        blank=True,
        help_text=_("Municipality or district number."),
    )
    her_id = models.CharField(_("HER-id"), max_length=20, blank=True)
    sor_id = models.CharField(_("SOR-id"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "number"],
                condition=~models.Q(number=""),
                name="unique_official_number_per_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors_and_self(self) -> list[Organisation]:
        """This organisation and its parents, nearest first (trees are a few levels deep)."""
        chain: list[Organisation] = []
        node: Organisation | None = self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain

    def nearest(self, *kinds: str) -> Organisation | None:
        """The nearest organisation of one of `kinds`, starting with this one and going up."""
        return next((org for org in self.ancestors_and_self() if org.kind in kinds), None)

    @property
    def short_name(self) -> str:
        """A district's own name ("Frogner" for "Bydel Frogner"), as the agreements write it."""
        return self.name.removeprefix("Bydel ") if self.kind == Kind.DISTRICT else self.name

    @property
    def is_hospital_side(self) -> bool:
        return self.kind in HOSPITAL_SIDE

    @property
    def is_municipal_side(self) -> bool:
        return self.kind in MUNICIPAL_SIDE


class Role(models.TextChoices):
    CLINICIAN = "clinician", _("Clinician")
    # Decides discharge-ready in mental health care and TSB, as a physician does (§ 9).
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    AIDS_STAFF = "aids-staff", _("Treatment-aids staff")
    DISCHARGE_COORDINATOR = "discharge-coordinator", _("Discharge coordinator")
    CASE_WORKER = "case-worker", _("Case worker")
    HOME_NURSE = "home-nurse", _("Home nurse")
    NURSING_HOME_STAFF = "nursing-home-staff", _("Nursing-home staff")
    DEPOT_STAFF = "depot-staff", _("Depot staff")
    NAV_ADVISER = "nav-adviser", _("NAV adviser")
    NETWORK_GROUP = "network-group", _("Network-group member")
    # A local contact committee at the hospitals follows the capacity of the agreement's
    # depots, regional and municipal (003 5.1, 6), and passes general matters to the
    # network group; it sees no patient and runs none of the group's tools.
    CONTACT_COMMITTEE = "contact-committee", _("Contact-committee member")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")
    # A record system's integration engine: posts the messages its organisation receives.
    INTEGRATION = "integration", _("Integration account")


class Membership(models.Model):
    """A user works for an organisation in a role; a user may have several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    digest = models.CharField(max_length=64, unique=True)
    # The user's password hash as it was when the token was issued (its SHA-256): a token
    # works only while the password is unchanged (overgang/organisations/tokens.py).
    password_mark = models.CharField(max_length=64, default="", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.expires_at:%Y-%m-%d %H:%M}"


class AccessStamp(models.Model):
    """One row whose value changes with every change that may change who may do what: users,
    memberships, tokens, organisations. A process keeps what it read about a user's access
    only while the stamp stays the same (overgang/organisations/access_cache.py). A fresh
    random value rather than a counter: a rolled-back change can never give an old value
    back to a new state."""

    value = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("access stamp")
        verbose_name_plural = _("access stamps")

    def __str__(self) -> str:
        return self.value


class ExternalIdentity(models.Model):
    """A person as an identity provider knows them: its subject identifier, tied to one user.
    Found by the subject, never by e-mail: an address can change hands, a subject cannot."""

    provider = models.CharField(_("identity provider"), max_length=40)
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="unique_external_subject")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject} · {self.user}"
