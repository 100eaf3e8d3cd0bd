from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ShCustomersCommon(AccountTestInvoicingCommon):
    """Customers with invoices, credit notes and payments built through
    Odoo's own accounting flows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_product(name="Brake Pad", lst_price=100.0)
        # Every test picks its own dates; the tax is 15% to show that
        # sales are untaxed while debt includes tax.
        cls.tax_15 = cls.env["account.tax"].create(
            {"name": "VAT 15%", "amount": 15.0, "type_tax_use": "sale"}
        )

    @classmethod
    def _customer(cls, name, **vals):
        return cls.env["res.partner"].create({"name": name, **vals})

    @classmethod
    def _invoice(cls, partner, amount, date, move_type="out_invoice", post=True, **kwargs):
        company = kwargs.pop("company", None) or cls.env.company
        taxes = kwargs.pop("taxes", cls.env["account.tax"])
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.to_date(date),
                    "invoice_payment_term_id": False,
                    # Due on the invoice date unless the test says otherwise.
                    "invoice_date_due": fields.Date.to_date(kwargs.pop("invoice_date_due", date)),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Parts",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    ],
                    **kwargs,
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, moves, amount=None, date=None):
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(
                {
                    **({"amount": amount} if amount is not None else {}),
                    **({"payment_date": date} if date else {}),
                }
            )
        )
        return wizard._create_payments()

    def _credit(self, partner, company=None):
        partner = partner.with_company(company or self.env.company)
        partner.invalidate_recordset(["credit"])
        return partner.credit
