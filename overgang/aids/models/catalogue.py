from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language


class AidCategory(models.TextChoices):
    TREATMENT_AID = "treatment-aid", _("Treatment aid")
    TECHNICAL_AID = "technical-aid", _("Technical aid")
    SHARED_EQUIPMENT = "shared-equipment", _("Equipment for several patients")
    # Small gear for training (balls, elastic bands, balance boards): not lent (003 4).
    TRAINING_GEAR = "training-gear", _("Training aid")


class Named(models.Model):
    """A catalogue entry named in the three languages of the app."""

    name_nb = models.CharField(_("name (Norwegian)"), max_length=120)
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """In the reader's language (bokmål where the request has none)."""
        return str(getattr(self, f"name_{current_language('nb')}") or self.name_en)


class AidType(Named):
    """A kind of aid; the list follows overgang/rules/aids.toml (the rules read the same)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    iso9999 = models.CharField(_("ISO 9999"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=AidCategory.choices)
    life_sustaining = models.BooleanField(_("life-sustaining"), default=False)
    electrical_check = models.BooleanField(_("needs electrical check"), default=False)
    multi_patient = models.BooleanField(_("used for several patients"), default=False)
    staff_training = models.BooleanField(
        _("municipal staff need training"),
        default=False,
        help_text=_("Municipal staff rarely know it; the lender trains them."),
    )
    parts = models.JSONField(
        _("lent as"),
        default=list,
        blank=True,
        help_text=_("For a therapy: the aid types lent together for it."),
    )

    class Meta:
        verbose_name = _("aid type")
        verbose_name_plural = _("aid types")
        ordering = ["slug"]

    @property
    def is_therapy(self) -> bool:
        """A therapy (long-term oxygen) is lent as its parts, never as a device of its own."""
        return bool(self.parts)


class ConsumableType(Named):
    """A consumable (forbruksmateriell, forbrugsartikel), from overgang/rules/consumables.toml,
    with the aid types it is directly linked to (U5)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    unit_nb = models.CharField(_("counted in (Norwegian)"), max_length=20)
    unit_da = models.CharField(_("counted in (Danish)"), max_length=20)
    unit_en = models.CharField(_("counted in (English)"), max_length=20)
    pharmacy = models.BooleanField(
        _("via pharmacy"),
        default=False,
        help_text=_("May be handed out by any pharmacy on a decision letter from the unit."),
    )
    linked_to = models.ManyToManyField(
        AidType, verbose_name=_("directly linked to"), related_name="consumables", blank=True
    )

    class Meta:
        verbose_name = _("consumable")
        verbose_name_plural = _("consumables")
        ordering = ["slug"]

    @property
    def unit(self) -> str:
        return str(getattr(self, f"unit_{current_language('nb')}") or self.unit_en)


class UserManual(models.Model):
    """The user manual of an aid type (U7: a manual follows every aid). Kept in the database
    so that every app server has it; a new upload becomes the current one and the older ones
    stay, so a loan can show which manual was handed over.

    Each agreement's manuals are kept by its own keepers (overgang.aids.manual_keepers):
    the treatment-aids unit for treatment aids, the municipal depot for the rest. A manual
    with no agreement is the common one, loaded by the system (demo data, imports), handed
    over wherever an agreement has none of its own."""

    aid_type = models.ForeignKey(
        AidType, verbose_name=_("aid type"), on_delete=models.PROTECT, related_name="manuals"
    )
    agreement = models.CharField(
        _("agreement"), max_length=40, blank=True, help_text=_("Empty: the common manual.")
    )
    keeper = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = models.TextField(_("why it replaced the one before"), blank=True)
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("file"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("user manual")
        verbose_name_plural = _("user manuals")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["aid_type", "uploaded_at"], name="manual_current"),
            models.Index(
                fields=["aid_type", "agreement", "uploaded_at"], name="manual_current_by_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aid_type}: {self.title}"
