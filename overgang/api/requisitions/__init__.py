"""Requisitions of treatment aids (U1–U3), their decisions and appeals.

`POST /requisitions` and `POST /requisitions/{id}/decision` are fixed by docs/contracts/api.md;
the rest (assessment, reservation, delivery, withdrawal, appeals, letters) is added here.
One router, in parts by concept.
"""

from ninja import Router

from overgang.api.requisitions import appeals, decisions, submission

router = Router(tags=["requisitions"])
for part in (submission, decisions, appeals):
    router.add_router("", part.router)
