"""Which accounts and journals the customer figures read as receivable and
credit sales: the lookups whose ids the figures' statements take as
literals, so that the planner reads the items of these accounts from their
index instead of scanning every journal item."""

from odoo.tools import SQL


def receivable_account_ids(env, company_ids=None):
    """The ids of the receivable accounts of the companies ``company_ids``,
    or of every company when None; archived accounts included (their open
    items are still owed). Read whatever the user's access to the chart of
    accounts: the customers' debt is a figure every user of the company
    reads."""
    if company_ids is None:
        query = SQL("SELECT id FROM account_account WHERE account_type = 'asset_receivable'")
    else:
        query = SQL(
            """
            SELECT account.id FROM account_account account
             WHERE account.account_type = 'asset_receivable'
               AND EXISTS (
                   SELECT FROM account_account_res_company_rel rel
                    WHERE rel.account_account_id = account.id
                      AND rel.res_company_id = ANY(%s))
             ORDER BY account.id
            """,
            list(company_ids),
        )
    env["account.account"].flush_model(["account_type", "company_ids"])
    return [account_id for (account_id,) in env.execute_query(query)]


def sale_journal_ids(env):
    """The ids of the sales journals of every company: their receivable
    items are credit sales."""
    env["account.journal"].flush_model(["type"])
    return [
        journal_id
        for (journal_id,) in env.execute_query(
            SQL("SELECT id FROM account_journal WHERE type = 'sale'")
        )
    ]
