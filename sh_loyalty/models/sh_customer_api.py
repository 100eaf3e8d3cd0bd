"""The loyalty routes of the customers API: a customer's card, adding
points by hand and redeeming a reward, with the tier and the balance added
to the customer's summary."""

from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.sh_customers.api.errors import ApiError
from odoo.addons.sh_customers.api.openapi import (
    BOOLEAN,
    DATE,
    INTEGER,
    NUMBER,
    STRING,
    nullable,
    obj,
    reference,
)
from odoo.addons.sh_customers.api.routes import Route

from ..exceptions import ShLoyaltyConflict

TAGS = ("Loyalty",)


@contextmanager
def conflicts_as_409():
    """Answer the ledger's refusals for want of points as conflicts (409);
    the ledger's other refusals stay invalid requests (422)."""
    try:
        yield
    except ShLoyaltyConflict as exc:
        raise ApiError(409, exc.args[0]) from exc


class ShCustomerApi(models.AbstractModel):
    _inherit = "sh.customer.api"

    # ------------------------------------------------------------------
    # Summary
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_summaries(self, partners, fetched=False):
        summaries = super()._sh_api_summaries(partners, fetched=fetched)
        program = self._sh_api_program()
        cards = {}
        if program:
            # The first card of each customer, as res.partner.sh_loyalty_card_id
            # finds it, read in one query.
            for card in self.env["loyalty.card"].search_read(
                [("program_id", "=", program.id), ("partner_id", "in", partners.ids)],
                ["partner_id", "points", "sh_tier_id"],
                order="id desc",
            ):
                cards[card["partner_id"][0]] = card
        for summary in summaries:
            card = cards.get(summary["id"])
            tier = card and card["sh_tier_id"]
            # The tier's key is its id, as in the loyalty answer; its name
            # (in the user's language) is the label beside it.
            summary["tier"] = tier[0] if tier else None
            summary["tier_label"] = tier[1] if tier else None
            summary["points"] = card["points"] if card else None
        return summaries

    @api.model
    def _sh_api_openapi_schemas(self):
        schemas = super()._sh_api_openapi_schemas()
        summary = schemas["CustomerSummary"]
        summary["properties"] = {
            **summary["properties"],
            "tier": nullable(
                INTEGER,
                "Loyalty tier in the company's customers' program (its id, as in the loyalty "
                "answer); null when the customer has no tier.",
            ),
            "tier_label": nullable(STRING, "The tier's name in the user's language."),
            "points": nullable(NUMBER, "Points balance; null when the customer has no card."),
        }
        summary["required"] = [*summary["required"], "tier", "tier_label", "points"]
        movement = obj(
            {
                "id": INTEGER,
                "date": DATE,
                "reason": STRING,
                "description": STRING,
                "points": NUMBER,
            },
            required=(),
        )
        loyalty = {
            "customer_id": INTEGER,
            "member": BOOLEAN,
            "program": reference(),
            "tier": reference(),
            "balance": NUMBER,
            "points_owed": NUMBER,
            "expiring_points": {
                **NUMBER,
                "description": "Points expiring within the program's warning period.",
            },
            "next_expiry_date": nullable(DATE),
            "qualifying_value": NUMBER,
            "tier_basis": nullable(STRING),
            "next_tier": reference(threshold=NUMBER),
            "amount_to_next_tier": NUMBER,
            "recent_movements": {"type": "array", "items": movement},
        }
        optional = ("points_owed", "qualifying_value", "tier_basis")
        schemas["Loyalty"] = obj(loyalty, required=[k for k in loyalty if k not in optional])
        schemas["PointsAdjusted"] = obj(
            {"customer_id": INTEGER, "points": NUMBER, "balance": NUMBER, "movement": movement}
        )
        coupon = obj(
            {"id": INTEGER, "code": STRING, "expiration_date": nullable(DATE)}, required=()
        )
        schemas["RewardRedeemed"] = obj(
            {
                "customer_id": INTEGER,
                "reward": reference(),
                "coupon": coupon,
                "points_spent": NUMBER,
                "balance": NUMBER,
            }
        )
        return schemas

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_routes(self):
        return [
            *super()._sh_api_routes(),
            Route(
                "GET",
                "/api/customers/{id}/loyalty/",
                "_sh_api_get_loyalty",
                summary="The customer's loyalty card: program, tier, balance, expiring points, "
                "next tier, recent movements",
                answer="Loyalty",
                tags=TAGS,
            ),
            Route(
                "POST",
                "/api/customers/{id}/add_points/",
                "_sh_api_add_points",
                summary="Add or remove points by hand, with a reason (loyalty managers only)",
                answer="PointsAdjusted",
                body={
                    "points": {
                        "type": "int",
                        "required": True,
                        "description": "Points to add; a negative number removes points.",
                    },
                    "reason": {"type": "string", "required": True, "max_length": 1000},
                },
                status=201,
                tags=TAGS,
            ),
            Route(
                "POST",
                "/api/customers/{id}/redeem_reward/",
                "_sh_api_redeem_reward",
                summary="Redeem a reward: the customer receives a coupon; not enough points is "
                "a 409",
                answer="RewardRedeemed",
                body={
                    "reward_id": {
                        "type": "int",
                        "required": True,
                        "min": 1,
                        "description": "A reward of the company's customers' program.",
                    },
                },
                status=201,
                tags=TAGS,
            ),
        ]

    @api.model
    def _sh_api_program(self):
        # sudo: the program is found for any user who sees the customer
        return (
            self.env["loyalty.program"]
            .sudo()
            ._sh_customer_programs(self.env.company)
            .get(self.env.company.id)
        )

    @api.model
    def _sh_api_movement(self, line):
        return {
            "id": line.id,
            "date": fields.Date.to_string(line.sh_date),
            "reason": line.sh_reason or None,
            "description": line.description or "",
            "points": line.issued - line.used,
        }

    @api.model
    def _sh_api_get_loyalty(self, customer_id, values=None):
        """``GET /api/customers/{id}/loyalty/``: the customer's card in the
        current company's customers' program."""
        partner = self._sh_api_customer(customer_id).with_company(self.env.company)
        program = self._sh_api_program()
        card = partner.sh_loyalty_card_id
        next_tier = card.sh_next_tier_id
        return {
            "customer_id": partner.id,
            "member": bool(card),
            "program": program and {"id": program.id, "name": program.name} or None,
            "tier": card.sh_tier_id
            and {"id": card.sh_tier_id.id, "name": card.sh_tier_id.name}
            or None,
            "balance": card.points if card else 0.0,
            "points_owed": card.sh_points_owed if card else 0.0,
            "expiring_points": card.sh_expiring_points if card else 0.0,
            "next_expiry_date": fields.Date.to_string(card.sh_expiring_date) or None,
            "qualifying_value": card.sh_qualifying_value if card else 0.0,
            "tier_basis": program.sh_tier_basis if program else None,
            "next_tier": next_tier
            and {"id": next_tier.id, "name": next_tier.name, "threshold": next_tier.threshold}
            or None,
            "amount_to_next_tier": card.sh_amount_to_next_tier if card else 0.0,
            "recent_movements": [
                self._sh_api_movement(line) for line in partner.sh_loyalty_history_ids
            ],
        }

    @api.model
    def _sh_api_add_points(self, customer_id, values):
        """``POST /api/customers/{id}/add_points/``: a manual adjustment by
        a loyalty manager, as the adjustment wizard does it; it creates a
        movement of the card (201)."""
        partner = self._sh_api_customer(customer_id).with_company(self.env.company)
        if not self.env.user.has_group("sh_loyalty.sh_loyalty_group_manager"):
            raise AccessError(_("Only loyalty managers can adjust points."))
        program = self._sh_api_program()
        if not program:
            raise UserError(_("The current company has no customers' loyalty program."))
        card = (
            partner.sh_loyalty_card_id
            or self.env["loyalty.card"]._sh_get_cards({program: partner})[(program.id, partner.id)]
        )
        with conflicts_as_409():
            lines = card._sh_adjust(values["points"], values["reason"])
        return {
            "customer_id": partner.id,
            "points": values["points"],
            "balance": card.points,
            "movement": self._sh_api_movement(lines[:1]),
        }

    @api.model
    def _sh_api_redeem_reward(self, customer_id, values):
        """``POST /api/customers/{id}/redeem_reward/``: spend points for a
        reward, as the redemption wizard does it; not enough points is a
        conflict (409)."""
        partner = self._sh_api_customer(customer_id).with_company(self.env.company)
        card = partner.sh_loyalty_card_id
        if not card:
            raise UserError(
                _(
                    "%(customer)s is not a member of the loyalty program.",
                    customer=partner.display_name,
                )
            )
        reward = self.env["loyalty.reward"].search([("id", "=", values["reward_id"])])
        if not reward or reward.program_id != card.program_id:
            raise UserError(
                _("The reward %(id)s is not offered by this program.", id=values["reward_id"])
            )
        # sudo: a Customers user redeems for the customer; the card, the
        # history and the coupon are written by the program's own rules
        # (as in the redemption wizard).
        card = card.sudo()
        with conflicts_as_409():
            coupon = card._sh_redeem(reward.sudo())
        return {
            "customer_id": partner.id,
            "reward": {"id": reward.id, "name": reward.description},
            "coupon": {
                "id": coupon.id,
                "code": coupon.code,
                "expiration_date": fields.Date.to_string(coupon.expiration_date) or None,
            },
            "points_spent": reward.required_points,
            "balance": card.points,
        }
