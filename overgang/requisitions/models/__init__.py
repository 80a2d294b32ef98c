from overgang.requisitions.models.swaps import OPEN_SWAPS, StartedBy, SwapReport, SwapStatus

__all__ = ["OPEN_SWAPS", "StartedBy", "SwapReport", "SwapStatus"]
