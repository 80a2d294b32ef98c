"""Indicators (issue 20, N12, U8): figures computed from what happened, per agreement,
hospital, municipality and month; never counted by hand. Counts only, never patients."""
