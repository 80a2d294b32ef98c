from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language


class AidCategory(models.TextChoices):
    TREATMENT_AID = "treatment-aid", _("Treatment aid")
    TECHNICAL_AID = "technical-aid", _("Technical aid")
    SHARED_EQUIPMENT = "shared-equipment", _("Equipment for several patients")
    TRAINING_GEAR = "training-gear", _("Training gear")


class AidType(models.Model):
    """A kind of aid; the list follows overgang/rules/aids.toml (the rules read the same)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    iso9999 = models.CharField(_("ISO 9999"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=AidCategory.choices)
    life_sustaining = models.BooleanField(_("life-sustaining"), default=False)
    electrical_check = models.BooleanField(_("needs electrical check"), default=False)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=120)
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("aid type")
        verbose_name_plural = _("aid types")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(getattr(self, f"name_{current_language('nb')}") or self.name_en)
