from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.sh_customers.models.sh_customer_api import ApiError

from ..exceptions import ShLoyaltyConflict


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
        summary["properties"]["tier"] = {
            "type": "integer",
            "nullable": True,
            "description": "Loyalty tier in the company's customers' program (its id, as in "
            "the loyalty answer); null when the customer has no tier.",
        }
        summary["properties"]["tier_label"] = {
            "type": "string",
            "nullable": True,
            "description": "The tier's name in the user's language.",
        }
        summary["properties"]["points"] = {
            "type": "number",
            "nullable": True,
            "description": "Points balance; null when the customer has no card.",
        }
        summary["required"] += ["tier", "tier_label", "points"]
        reference = {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
        movement = {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "date": {"type": "string", "format": "date"},
                "reason": {"type": "string"},
                "description": {"type": "string"},
                "points": {"type": "number"},
            },
        }
        schemas["Loyalty"] = {
            "type": "object",
            "required": [
                "customer_id",
                "member",
                "program",
                "tier",
                "balance",
                "expiring_points",
                "next_expiry_date",
                "next_tier",
                "amount_to_next_tier",
                "recent_movements",
            ],
            "properties": {
                "customer_id": {"type": "integer"},
                "member": {"type": "boolean"},
                "program": reference,
                "tier": reference,
                "balance": {"type": "number"},
                "points_owed": {"type": "number"},
                "expiring_points": {
                    "type": "number",
                    "description": "Points expiring within the program's warning period.",
                },
                "next_expiry_date": {"type": "string", "format": "date", "nullable": True},
                "qualifying_value": {"type": "number"},
                "tier_basis": {"type": "string", "nullable": True},
                "next_tier": {
                    **reference,
                    "properties": {**reference["properties"], "threshold": {"type": "number"}},
                },
                "amount_to_next_tier": {"type": "number"},
                "recent_movements": {"type": "array", "items": movement},
            },
        }
        schemas["PointsAdjusted"] = {
            "type": "object",
            "required": ["customer_id", "points", "balance", "movement"],
            "properties": {
                "customer_id": {"type": "integer"},
                "points": {"type": "number"},
                "balance": {"type": "number"},
                "movement": movement,
            },
        }
        schemas["RewardRedeemed"] = {
            "type": "object",
            "required": ["customer_id", "reward", "coupon", "points_spent", "balance"],
            "properties": {
                "customer_id": {"type": "integer"},
                "reward": reference,
                "coupon": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "code": {"type": "string"},
                        "expiration_date": {"type": "string", "format": "date", "nullable": True},
                    },
                },
                "points_spent": {"type": "number"},
                "balance": {"type": "number"},
            },
        }
        return schemas

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_specs(self):
        specs = super()._sh_api_specs()
        specs["loyalty"] = {}
        specs["add_points"] = {
            "points": {
                "type": "int",
                "required": True,
                "description": "Points to add; a negative number removes points.",
            },
            "reason": {"type": "string", "required": True, "max_length": 1000},
        }
        specs["redeem_reward"] = {
            "reward_id": {
                "type": "int",
                "required": True,
                "min": 1,
                "description": "A reward of the company's customers' program.",
            },
        }
        return specs

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
    def get_loyalty(self, customer_id, params=None):
        """``GET /api/customers/{id}/loyalty/``: the customer's card in the
        current company's customers' program."""
        self._sh_api_parse(params or {}, self._sh_api_specs()["loyalty"], from_query=True)
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
    def add_points(self, customer_id, params):
        """``POST /api/customers/{id}/add_points/``: a manual adjustment by
        a loyalty manager, as the adjustment wizard does it; it creates a
        movement of the card (201)."""
        partner = self._sh_api_customer(customer_id).with_company(self.env.company)
        values = self._sh_api_parse(params, self._sh_api_specs()["add_points"])
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
    def redeem_reward(self, customer_id, params):
        """``POST /api/customers/{id}/redeem_reward/``: spend points for a
        reward, as the redemption wizard does it; not enough points is a
        conflict (409)."""
        partner = self._sh_api_customer(customer_id).with_company(self.env.company)
        values = self._sh_api_parse(params, self._sh_api_specs()["redeem_reward"])
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

    # ------------------------------------------------------------------
    # OpenAPI
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_openapi_paths(self):
        paths = super()._sh_api_openapi_paths()
        specs = self._sh_api_specs()
        operation = self._sh_api_openapi_operation
        paths["/api/customers/{id}/loyalty/"] = {
            "get": operation(
                "The customer's loyalty card: program, tier, balance, expiring points, "
                "next tier, recent movements",
                {"$ref": "#/components/schemas/Loyalty"},
                [403, 404],
                customer=True,
            )
        }
        paths["/api/customers/{id}/add_points/"] = {
            "post": operation(
                "Add or remove points by hand, with a reason (loyalty managers only)",
                {"$ref": "#/components/schemas/PointsAdjusted"},
                [403, 404, 409, 422],
                body=specs["add_points"],
                status=201,
                customer=True,
            )
        }
        paths["/api/customers/{id}/redeem_reward/"] = {
            "post": operation(
                "Redeem a reward: the customer receives a coupon; not enough points is a 409",
                {"$ref": "#/components/schemas/RewardRedeemed"},
                [403, 404, 409, 422],
                body=specs["redeem_reward"],
                status=201,
                customer=True,
            )
        }
        return paths
