from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        res = super().init()
        # The customer figures read the receivable items per receivable
        # account from this index alone.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_sh_receivable_history_index
                ON account_move_line (account_id, date)
                INCLUDE (partner_id, company_id, journal_id, balance, date_maturity, id,
                         amount_residual, reconciled)
             WHERE parent_state = 'posted'
            """
        )
        # The customer dashboard finds the items not yet due on a past day
        # (the debt recovery rate) by their due date, from this index alone.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_sh_receivable_due_index
                ON account_move_line (account_id, (COALESCE(date_maturity, date)))
                INCLUDE (date, date_maturity, partner_id, company_id, balance, id)
             WHERE parent_state = 'posted'
            """
        )
        # A customer's receivable items (to rebuild its receivable history),
        # from this index alone.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_sh_partner_receivable_index
                ON account_move_line (partner_id, account_id)
                INCLUDE (date, company_id, journal_id, balance)
             WHERE parent_state = 'posted'
            """
        )
        # The open receivable items (the customers' debt and today's aging),
        # from this index alone.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_sh_open_receivable_index
                ON account_move_line (account_id)
                INCLUDE (partner_id, company_id, amount_residual, date, date_maturity)
             WHERE parent_state = 'posted' AND reconciled IS NOT TRUE
            """
        )
        return res
