from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

SALES_GROUPS = "sh_customers.sh_customers_group_user"
# A Customers user who may also see receivables (Invoicing: Billing).
ACCOUNTANT_GROUPS = "sh_customers.sh_customers_group_user,account.group_account_invoice"


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
    def _second_company(cls, **kwargs):
        """Another company (``setup_other_company``'s options), which the
        user running the tests works in too."""
        company = cls.setup_other_company(**kwargs)["company"]
        cls.env.user.company_ids |= company
        return company

    @classmethod
    def _company_user(cls, login, groups, company=None, **vals):
        """A user working in one company only (the test's by default)."""
        company = company or cls.env.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            **vals,
        )

    @classmethod
    def _sales_user(cls, login, company=None):
        """A Customers user who may not see receivables."""
        return cls._company_user(login, SALES_GROUPS, company)

    @classmethod
    def _accountant(cls, login, company=None):
        """A Customers user who may see receivables."""
        return cls._company_user(login, ACCOUNTANT_GROUPS, company)

    @classmethod
    def _outsider(cls, login):
        """An internal user without the Customers app."""
        return new_test_user(cls.env, login=login, groups="base.group_user")

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


class ShCustomersTourCommon(HttpCase):
    """Browser tours on the database's own company, with invoices posted
    in its sales journal, without tax."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.env.company.id)], limit=1
        )

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
