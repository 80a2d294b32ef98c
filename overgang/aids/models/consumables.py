from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.aids.models.catalogue import ConsumableType
from overgang.aids.models.loans import Loan
from overgang.patients.access import ScopedQuerySet


class ConsumableStock(models.Model):
    """How many of a consumable a unit has on its own shelves (000 5.0: the unit "har eget
    lager"), and below how many it orders more."""

    unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="consumable_stock",
    )
    consumable = models.ForeignKey(
        ConsumableType, verbose_name=_("consumable"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("in stock"), default=0)
    minimum = models.PositiveIntegerField(_("minimum"), default=0)

    class Meta:
        verbose_name = _("consumable stock")
        verbose_name_plural = _("consumable stock")
        constraints = [
            models.UniqueConstraint(fields=["unit", "consumable"], name="one_stock_per_consumable")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.consumable}: {self.quantity}"

    @property
    def below_minimum(self) -> bool:
        return self.quantity < self.minimum


class Provider(models.TextChoices):
    """The party of the agreement's consumables duty (the rules' parties)."""

    UNIT = "hospital", _("the lending unit")
    MUNICIPALITY = "municipality", _("the municipality")
    PRIVATE_HOSPITAL = "private-hospital", _("the private hospital")
    CITIZEN = "citizen", _("the patient")
    NAV = "nav", _("NAV")
    UNDECIDED = "", _("not decided by the agreement")


class ConsumptionPlanQuerySet(ScopedQuerySet["ConsumptionPlan"]):
    """A consumption plan goes with its loan."""

    def scope(self, user: Any, action: str) -> Q:
        return Q(loan__in=Loan.objects.within(user, action))


class ConsumptionPlan(models.Model):
    """What a patient uses of one consumable with a lent aid, and until when they have it.
    Who provides it follows from the agreement (U5): consumables directly linked to the aid
    come from the lending unit; others are the municipality's."""

    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="consumption_plans"
    )
    consumable = models.ForeignKey(
        ConsumableType, verbose_name=_("consumable"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    every_days = models.PositiveIntegerField(_("every (days)"))
    supplied_until = models.DateField(_("supplied until"), null=True, blank=True)
    provider = models.CharField(
        _("provided by"), max_length=16, choices=Provider.choices, blank=True
    )
    provider_cites = models.JSONField(_("citations"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ConsumptionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("consumption plan")
        verbose_name_plural = _("consumption plans")
        ordering = ["supplied_until", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "consumable"],
                condition=Q(ended_at__isnull=True),
                name="one_open_plan_per_consumable",
            )
        ]
        indexes = [models.Index(fields=["supplied_until"], name="plan_runs_out")]

    def __str__(self) -> str:
        return f"{self.consumable}: {self.quantity} / {self.every_days} d"

    @property
    def from_unit(self) -> bool:
        """Does the lending unit provide it? Where the agreement does not say, it does: the
        unit lent the aid the consumable goes with."""
        return self.provider in (Provider.UNIT, Provider.PRIVATE_HOSPITAL, Provider.UNDECIDED)


class Route(models.TextChoices):
    UNIT = "unit", _("sent from the unit's stock")
    PHARMACY = "pharmacy", _("from any pharmacy, on a decision letter")


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("need reported")
    SENT = "sent", _("sent")
    DECIDED = "decided", _("decision letter issued")
    CANCELLED = "cancelled", _("cancelled")


class ConsumableOrderQuerySet(ScopedQuerySet["ConsumableOrder"]):
    """An order goes with the loan of its plan."""

    def scope(self, user: Any, action: str) -> Q:
        return Q(plan__loan__in=Loan.objects.within(user, action))


class ConsumableOrder(models.Model):
    """A need reported by the patient's side (000 5.0), and how the unit met it: sent from its
    stock, or a decision letter for any pharmacy, invoiced to the unit."""

    plan = models.ForeignKey(
        ConsumptionPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="orders"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    route = models.CharField(_("how"), max_length=10, choices=Route.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.REQUESTED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("reported"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    covers_until = models.DateField(_("covers until"), null=True, blank=True)
    valid_until = models.DateField(
        _("decision valid until"),
        null=True,
        blank=True,
        help_text=_("For a decision letter: the pharmacy hands out until this date."),
    )

    objects = ConsumableOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("consumable order")
        verbose_name_plural = _("consumable orders")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="order_worklist")]

    def __str__(self) -> str:
        return f"{self.plan.consumable}: {self.quantity} ({self.get_status_display()})"
