from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        res = super().init()
        # The customer dashboard reads the receivable of past days (the
        # balance of the items dated up to a day), the debt recovery rate and
        # the aging from this index alone, per receivable account and date.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_sh_receivable_history_index
                ON account_move_line (account_id, date)
                INCLUDE (partner_id, company_id, journal_id, balance, date_maturity, id,
                         amount_residual, reconciled)
             WHERE parent_state = 'posted'
            """
        )
        return res
