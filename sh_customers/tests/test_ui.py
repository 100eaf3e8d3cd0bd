from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    """The customers app in a browser: KPI cards, card filters, list and
    kanban, the monthly sales chart (tour ``sh_customers_tour``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.env.company.id)], limit=1
        )
        Partner = cls.env["res.partner"]
        # Bought 400, 200 and 40 days ago, never paid: active, 3000 overdue.
        active = Partner.create({"name": "SH Tour Active Garage", "is_company": True})
        for days in (400, 200, 40):
            cls._invoice(active, 1000.0, today - relativedelta(days=days))
        # Bought every 10 days and stopped: at risk, 300 and 400 overdue.
        fleet = Partner.create({"name": "SH Tour Lapsed Fleet", "is_company": True})
        for days in (200, 190, 180):
            cls._invoice(fleet, 100.0, today - relativedelta(days=days))
        retail = Partner.create({"name": "SH Tour Lapsed Retail", "is_company": True})
        for days in (300, 290):
            cls._invoice(retail, 200.0, today - relativedelta(days=days))
        # First purchase today, due in 30 days: new this month, nothing overdue.
        newcomer = Partner.create({"name": "SH Tour New Workshop", "is_company": True})
        cls._invoice(newcomer, 500.0, today, due=today + relativedelta(days=30))
        # A customer who has not bought yet.
        Partner.create({"name": "SH Tour Prospect", "is_company": True, "customer_rank": 1})

    @classmethod
    def _invoice(cls, partner, amount, date, due=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "journal_id": cls.journal.id,
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_payment_term_id": False,
                "invoice_date_due": due or date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Brake pads",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_customers_tour(self):
        self.start_tour(
            "/odoo/action-sh_customers.res_partner_action_sh_customers",
            "sh_customers_tour",
            login="admin",
        )
