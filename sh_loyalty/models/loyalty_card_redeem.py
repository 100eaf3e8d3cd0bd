"""Spending points: rewards redeemed for coupons and manual adjustments,
with the card locked so that the same points are never spent twice."""

from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..exceptions import ShLoyaltyConflict
from .loyalty_card import round_points


class LoyaltyCard(models.Model):
    # One concern of loyalty.card per file: see the list in loyalty_card.py.
    _inherit = "loyalty.card"  # pylint: disable=consider-merging-classes-inherited

    def _sh_lock(self):
        """Lock the card rows until the end of the transaction and re-read
        them, so that two redemptions never spend the same points."""
        self.flush_recordset()
        # A concurrent redemption that committed first makes this statement
        # fail with a serialization error: the request is retried and sees
        # the new balance. Not an error worth logging.
        self.env.cr.execute(
            SQL("SELECT id FROM loyalty_card WHERE id IN %s FOR UPDATE", tuple(self.ids)),
            log_exceptions=False,
        )
        self.invalidate_recordset(["points", "sh_points_owed"])

    def _sh_redeem(self, reward):
        """Spend ``reward.required_points`` of this card for a coupon of
        ``reward`` usable in Sales and Point of Sale; returns the coupon."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if not self.partner_id.active:
            raise UserError(
                _(
                    "%(customer)s is archived: archived customers cannot redeem rewards.",
                    customer=self.partner_id.display_name,
                )
            )
        if not reward.active or reward.program_id != self.program_id:
            raise UserError(
                _(
                    "The reward %(reward)s is not offered by this program.",
                    reward=reward.description,
                )
            )
        if reward.sh_date_to and reward.sh_date_to < today:
            raise UserError(
                _(
                    "The reward %(reward)s could be redeemed until %(date)s only.",
                    reward=reward.description,
                    date=reward.sh_date_to,
                )
            )
        self._sh_lock()
        if self.points < reward.required_points:
            raise ShLoyaltyConflict(
                _(
                    "%(customer)s has %(balance)s points; %(reward)s needs %(required)s.",
                    customer=self.partner_id.display_name,
                    balance=self.points,
                    reward=reward.description,
                    required=reward.required_points,
                )
            )
        coupon_program = reward._sh_get_coupon_program()
        validity = self.program_id.sh_coupon_validity_days
        coupon = (
            self.env["loyalty.card"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "program_id": coupon_program.id,
                    "partner_id": self.partner_id.id,
                    "points": 1,
                    "expiration_date": validity and today + relativedelta(days=validity),
                }
            )
        )
        self._sh_apply(
            [
                {
                    "card": self,
                    "points": -reward.required_points,
                    "reason": "redeem",
                    "date": today,
                    "description": _(
                        "Redeemed for %(reward)s, coupon %(code)s",
                        reward=reward.description,
                        code=coupon.code,
                    ),
                }
            ]
        )
        return coupon

    def _sh_adjust(self, points, reason):
        """Manual adjustment by a loyalty manager, with its reason."""
        self.ensure_one()
        points = round_points(points)
        if not points:
            raise UserError(_("Enter the number of points to add or remove."))
        if not (reason or "").strip():
            raise UserError(_("An adjustment needs a reason."))
        self._sh_lock()
        if points < 0 and -points > self.points and not self.program_id.sh_allow_negative:
            raise ShLoyaltyConflict(
                _(
                    "%(customer)s has %(balance)s points; %(points)s cannot be removed.",
                    customer=self.partner_id.display_name,
                    balance=self.points,
                    points=-points,
                )
            )
        return self._sh_apply(
            [
                {
                    "card": self,
                    "points": points,
                    "reason": "adjust",
                    "date": fields.Date.context_today(self),
                    "description": reason.strip(),
                }
            ]
        )
