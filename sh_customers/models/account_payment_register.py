from odoo import models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        """Posting the payments and matching them with the invoices both
        change the customers' figures: refresh them once, after both."""
        deferred = self.with_context(sh_defer_customer_stats=True)
        payments = super(AccountPaymentRegister, deferred)._create_payments().with_env(self.env)
        customers = (
            payments.move_id._sh_touched_customers() | self.line_ids.move_id._sh_touched_customers()
        )
        customers._sh_refresh_customer_stats()
        return payments
