"""The demo's devices: what each treatment-aids unit and depot has on its shelves."""

from __future__ import annotations

# (owner key, serial prefix, {aid type: count})
STOCK: tuple[tuple[str, str, dict[str, int]], ...] = (
    (
        "ous-bhm",
        "OUS",
        {
            "home-ventilator": 6,
            "cpap": 8,
            "oxygen-concentrator": 6,
            "portable-oxygen-cylinder": 10,
            "suction-device": 4,
            "enteral-feeding-pump": 4,
            "infusion-pump": 3,
            "nebuliser": 4,
        },
    ),
    ("ahus-bhm", "AHUS", {"home-ventilator": 4, "cpap": 6, "oxygen-concentrator": 4}),
    (
        "unn-bhm",
        "UNN",
        {
            "home-ventilator": 4,
            "cpap": 6,
            "oxygen-concentrator": 5,
            "tens": 4,
            "compression-garment": 6,
        },
    ),
    ("stolav-bhm", "STO", {"home-ventilator": 3, "cpap": 5, "oxygen-concentrator": 4}),
    (
        "rn-depot",
        "RN",
        {"wheelchair": 8, "rollator": 8, "walking-frame": 6, "rom-bandage": 4, "wrist-splint": 4},
    ),
    (
        "aalborg-depot",
        "AAL",
        {"wheelchair": 6, "care-bed": 4, "patient-lift": 2, "shower-chair": 4},
    ),
    ("levanger-hjelpemiddellager", "LEV", {"wheelchair": 4, "rollator": 4, "care-bed": 2}),
    ("oslo-hjelpemiddellager", "OSL", {"wheelchair": 6, "care-bed": 4, "shower-chair": 4}),
)
