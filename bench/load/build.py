"""The bench data: the patients of bench/search.py, the devices and loans of bench/aids and
the stays and deadlines of bench/stays, each built by its own builder when missing.

Their sizes are those builders' own: --patients here, OVERGANG_BENCH_DEVICES and
OVERGANG_BENCH_STAYS in the environment (read as the builders are imported)."""

from __future__ import annotations

from dataclasses import dataclass

from bench.aids.build import prepare_aids
from bench.search import Contents, PostgreSQL, prepare
from bench.stays.build import prepare_stays
from bench.stays.common import Setup, inside


@dataclass(frozen=True)
class Scale:
    patients: int
    devices: int
    loans: int
    stays: int
    deadlines: int


def prepare_data(database: PostgreSQL, *, patients: int) -> tuple[Contents, Scale]:
    contents = prepare(database, patients=patients, rebuild=False)
    aids = prepare_aids(database, rebuild=False)
    stays = prepare_stays(database, Setup(**inside(database, "setup()")), rebuild=False)
    scale = Scale(
        patients=contents.patients,
        devices=aids.devices,
        loans=aids.loans,
        stays=stays.stays,
        deadlines=stays.deadlines,
    )
    return contents, scale
