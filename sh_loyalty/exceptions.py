"""Errors of the loyalty ledger that callers tell apart from other refusals."""

from odoo.exceptions import UserError


class ShLoyaltyConflict(UserError):
    """The card's balance cannot cover a redemption or the removal of
    points: the request is valid but conflicts with the balance as it is
    now (the API answers 409)."""
