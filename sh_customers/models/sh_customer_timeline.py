"""The customer timeline (``sh.customer.timeline``): everything that
happened with a customer, newest first, in one statement over its sources.

Each kind of event comes from a source, an SQL select of the columns of
TIMELINE_COLUMNS built from ``_search(domain)`` so that access rights,
record rules and companies hold. ``sh_customers`` brings the receivable's
movements (invoices, credit notes, payments, other journal entries), the
payments matched with invoices and the messages on the customer; other
addons add their kinds by extending ``_sh_timeline_kinds`` and
``_sh_timeline_sources`` with ``super()``, as the dashboard's cards are
extended. The sources are combined with UNION ALL; the running debt is a
window sum over the receivable's movements of the whole history, and the
page is cut from it in the same statement."""

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..figures.dashboard_context import datetime_bounds
from ..figures.receivable import receivable_account_ids
from ..figures.rules import DEBT_GROUPS

# The columns every source selects, with their SQL types, in this order.
TIMELINE_COLUMNS = (
    ("kind", "varchar"),
    # When it happened, UTC; a day without a time (an invoice's date) is
    # the user's midnight of that day (``_sh_timeline_day``).
    ("date", "timestamp"),
    ("all_day", "boolean"),
    # Orders the events of one moment: the later record comes first.
    ("sort_id", "integer"),
    ("res_model", "varchar"),
    ("res_id", "integer"),
    ("name", "varchar"),
    ("amount", "numeric"),
    ("points", "numeric"),
    ("user_id", "integer"),
    ("detail", "varchar"),
    # The change of the customer's receivable (a money event), else NULL.
    ("debt_delta", "numeric"),
)
# The kinds of the receivable's movements: the running debt sums them.
MONEY_KINDS = ("invoice", "credit_note", "payment", "entry")
# Money kinds whose amount every user who may read invoices sees; the
# others' amounts are the receivable's (DEBT_GROUPS).
SALES_KINDS = ("invoice", "credit_note")
# The most events one page holds.
MAX_LIMIT = 500
# The messages on a customer the timeline shows (not the tracking and
# system notifications).
MESSAGE_TYPES = ("comment", "email", "email_outgoing")


class ShCustomerTimeline(models.AbstractModel):
    _name = "sh.customer.timeline"
    _description = "Customer Timeline"

    # ------------------------------------------------------------------
    # Public method (the customer form and the REST API)
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_timeline(
        self, partner_id, limit=50, offset=0, kinds=None, date_from=None, date_to=None
    ):
        """One page of the customer's timeline, newest first:
        ``{events, has_more, kinds, show_debt, currency}``.

        ``kinds``: the keys of the kinds to show (all by default);
        ``date_from``/``date_to``: the user's first and last day. Each event
        is ``{kind, date, all_day, res_model, res_id, name, amount, points,
        user, detail, debt}``; ``debt`` is the customer's receivable after a
        money event (None for the others and for users who may not see
        receivables)."""
        ctx = self._sh_timeline_context(partner_id, limit, offset, kinds, date_from, date_to)
        kinds_data = self._sh_kinds_data(ctx)
        if not ctx["kinds"]:
            events, has_more = [], False
        else:
            rows = self.env.execute_query_dict(self._sh_timeline_statement(ctx))
            has_more = len(rows) > ctx["limit"]
            events = self._sh_events(ctx, rows[: ctx["limit"]])
        currency = ctx["currency"]
        return {
            "events": events,
            "has_more": has_more,
            "kinds": kinds_data,
            "show_debt": ctx["show_debt"],
            "currency": {
                "id": currency.id,
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
        }

    # ------------------------------------------------------------------
    # Extension points: other addons add their kinds and sources.
    # ------------------------------------------------------------------

    @api.model
    def _sh_timeline_kinds(self):
        """The kinds of events: ``{key, label, icon, sequence}``."""
        return [
            {
                "key": "invoice",
                "label": self.env._("Invoice"),
                "icon": "fa-file-text-o",
                "sequence": 10,
            },
            {
                "key": "credit_note",
                "label": self.env._("Credit Note"),
                "icon": "fa-undo",
                "sequence": 20,
            },
            {"key": "payment", "label": self.env._("Payment"), "icon": "fa-money", "sequence": 30},
            {
                "key": "reconciliation",
                "label": self.env._("Payment Matched"),
                "icon": "fa-link",
                "sequence": 40,
            },
            {
                "key": "entry",
                "label": self.env._("Journal Entry"),
                "icon": "fa-book",
                "sequence": 50,
            },
            {
                "key": "message",
                "label": self.env._("Message"),
                "icon": "fa-comment-o",
                "sequence": 200,
            },
        ]

    @api.model
    def _sh_timeline_sources(self, partner, ctx):
        """The SQL selects of the events of ``partner`` (a commercial
        partner), each selecting TIMELINE_COLUMNS (``_sh_timeline_select``).
        A source may leave out the kinds ``ctx["kinds"]`` does not ask for
        (``_sh_timeline_wants``); the money events are always given, since
        the running debt sums them all."""
        sources = []
        if ctx["can_read_money"]:
            sources.append(self._sh_money_source(partner, ctx))
            Partial = self.env["account.partial.reconcile"]
            if (
                ctx["show_debt"]
                and self._sh_timeline_wants(ctx, "reconciliation")
                and Partial.browse().has_access("read")
            ):
                sources.append(self._sh_reconciliation_source(partner, ctx))
        if self._sh_timeline_wants(ctx, "message"):
            sources.append(self._sh_message_source(partner, ctx))
        return sources

    # ------------------------------------------------------------------
    # Helpers for the sources
    # ------------------------------------------------------------------

    @api.model
    def _sh_timeline_wants(self, ctx, *kinds):
        """Whether the page asks for one of ``kinds``."""
        return any(kind in ctx["kinds"] for kind in kinds)

    @api.model
    def _sh_timeline_select(self, query, **columns):
        """The select of TIMELINE_COLUMNS from ``query`` (a ``Query``), each
        given as SQL in ``columns`` or NULL."""
        unknown = set(columns) - {name for name, _type in TIMELINE_COLUMNS}
        assert not unknown, unknown
        return query.select(
            *(
                SQL(
                    "CAST(%s AS %s) AS %s",
                    columns.get(name, SQL("NULL")),
                    SQL(sql_type),
                    SQL.identifier(name),
                )
                for name, sql_type in TIMELINE_COLUMNS
            )
        )

    @api.model
    def _sh_timeline_day(self, ctx, day):
        """The UTC timestamp at which the user's day ``day`` (an SQL date)
        starts."""
        return SQL("((%s)::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'", day, ctx["tz"])

    # ------------------------------------------------------------------
    # The customers' own sources
    # ------------------------------------------------------------------

    @api.model
    def _sh_money_source(self, partner, ctx):
        """Each posted move of the customer's receivable in the company's
        tree, as the customer statement and ``res.partner.credit`` read it
        (the receivable accounts' posted items), with the sum of its items:
        the change of the debt."""
        Line = self.env["account.move.line"]
        query = Line._search(
            [
                ("partner_id", "=", partner.id),
                ("account_id", "in", ctx["receivable_ids"]),
                ("parent_state", "=", "posted"),
                ("company_id", "in", ctx["company_ids"]),
            ]
        )
        move = query.join(query.table, "move_id", "account_move", "id", "move")
        query.groupby = SQL.identifier(move, "id")

        def col(name):
            return SQL.identifier(move, name)

        delta = SQL("SUM(%s)", SQL.identifier(query.table, "balance"))
        is_payment = SQL("%s IS NOT NULL", col("origin_payment_id"))
        kind = SQL(
            "CASE WHEN %(type)s = 'out_invoice' THEN 'invoice'"
            " WHEN %(type)s = 'out_refund' THEN 'credit_note'"
            " WHEN %(payment)s THEN 'payment' ELSE 'entry' END",
            type=col("move_type"),
            payment=is_payment,
        )
        if ctx["show_debt"]:
            amount = delta
        else:
            amount = SQL(
                "CASE WHEN %s IN %s THEN %s END",
                col("move_type"),
                ("out_invoice", "out_refund"),
                delta,
            )
        return self._sh_timeline_select(
            query,
            kind=kind,
            date=self._sh_timeline_day(ctx, col("date")),
            all_day=SQL("TRUE"),
            sort_id=col("id"),
            res_model=SQL(
                "CASE WHEN %s THEN 'account.payment' ELSE 'account.move' END", is_payment
            ),
            res_id=SQL("COALESCE(%s, %s)", col("origin_payment_id"), col("id")),
            name=col("name"),
            amount=amount,
            user_id=SQL("COALESCE(%s, %s)", col("invoice_user_id"), col("create_uid")),
            detail=col("ref"),
            debt_delta=delta,
        )

    @api.model
    def _sh_reconciliation_source(self, partner, ctx):
        """Each payment or credit note matched with an invoice of the
        customer (a partial reconciliation of its receivable items), on the
        later of their dates; it does not change the debt."""
        query = self.env["account.partial.reconcile"]._search(
            [
                ("debit_move_id.partner_id", "=", partner.id),
                ("debit_move_id.account_id", "in", ctx["receivable_ids"]),
                ("company_id", "in", ctx["company_ids"]),
            ]
        )
        debit = query.join(query.table, "debit_move_id", "account_move_line", "id", "debit")
        credit = query.join(query.table, "credit_move_id", "account_move_line", "id", "credit")
        debit_move = query.join(debit, "move_id", "account_move", "id", "move")
        credit_move = query.join(credit, "move_id", "account_move", "id", "move")
        table = query.table
        return self._sh_timeline_select(
            query,
            kind=SQL("'reconciliation'"),
            date=self._sh_timeline_day(ctx, SQL.identifier(table, "max_date")),
            all_day=SQL("TRUE"),
            sort_id=SQL(
                "GREATEST(%s, %s)",
                SQL.identifier(debit_move, "id"),
                SQL.identifier(credit_move, "id"),
            ),
            res_model=SQL("'account.move'"),
            res_id=SQL.identifier(debit_move, "id"),
            name=SQL(
                "replace(replace(%s, %s, %s), %s, %s)",
                self.env._("%(payment)s matched with %(invoice)s"),
                "%(payment)s",
                SQL.identifier(credit_move, "name"),
                "%(invoice)s",
                SQL.identifier(debit_move, "name"),
            ),
            amount=SQL.identifier(table, "amount"),
            user_id=SQL.identifier(table, "create_uid"),
        )

    @api.model
    def _sh_message_source(self, partner, ctx):
        """The messages and e-mails posted on the customer or written by
        it (not the tracking and system notifications)."""
        query = self.env["mail.message"]._search(
            [
                "|",
                "&",
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                # Its messages on other records: not on another company's.
                "&",
                ("author_id", "=", partner.id),
                ("record_company_id", "in", [*ctx["company_ids"], False]),
                ("message_type", "in", MESSAGE_TYPES),
            ]
        )
        return self._sh_timeline_messages(query, "message")

    @api.model
    def _sh_timeline_messages(self, query, kind):
        """The select of the messages of ``query`` (a ``Query`` of
        mail.message) as events of ``kind``: their subject (or the record's
        name) and the start of their text."""
        table = query.table

        def col(name):
            return SQL.identifier(table, name)

        return self._sh_timeline_select(
            query,
            kind=SQL("%s", kind),
            date=col("date"),
            all_day=SQL("FALSE"),
            sort_id=col("id"),
            res_model=col("model"),
            res_id=col("res_id"),
            name=SQL("COALESCE(NULLIF(%s, ''), %s)", col("subject"), col("record_name")),
            user_id=col("create_uid"),
            detail=SQL("LEFT(btrim(regexp_replace(%s, '<[^>]*>', ' ', 'g')), 300)", col("body")),
        )

    # ------------------------------------------------------------------
    # The statement and its answer
    # ------------------------------------------------------------------

    @api.model
    def _sh_timeline_context(self, partner_id, limit, offset, kinds, date_from, date_to):
        """The checked request and what the sources read: the customer, the
        company's tree and receivable accounts, the user's time zone and
        whether the user may read the receivable's movements and see their
        amounts."""
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
            raise UserError(
                self.env._("The page size must be a number from 1 to %(max)s.", max=MAX_LIMIT)
            )
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise UserError(self.env._("The offset must be a number from 0."))
        known = [kind["key"] for kind in self._sh_timeline_kinds()]
        if kinds is None:
            kinds = known
        unknown = [kind for kind in kinds if kind not in known]
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown kinds of events: %(unknown)s; use some of: %(known)s.",
                    unknown=", ".join(map(str, unknown)),
                    known=", ".join(known),
                )
            )
        try:
            date_from = fields.Date.to_date(date_from) if date_from else None
            date_to = fields.Date.to_date(date_to) if date_to else None
        except ValueError as error:
            raise UserError(self.env._("Dates are written as YYYY-MM-DD.")) from error
        if date_from and date_to and date_from > date_to:
            raise UserError(self.env._("The period's first day is after its last day."))
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise UserError(self.env._("This customer does not exist."))
        partner.check_access("read")
        company = self.env.company
        company_ids = company._sh_tree_company_ids()
        Line = self.env["account.move.line"]
        can_read_money = Line.browse().has_access("read")
        return {
            "partner": partner.commercial_partner_id,
            "limit": limit,
            "offset": offset,
            "kinds": list(kinds),
            "date_from": date_from,
            "date_to": date_to,
            "tz": self.env.context.get("tz") or self.env.user.tz or "UTC",
            "company": company,
            "company_ids": company_ids,
            "currency": company.currency_id,
            "can_read_money": can_read_money,
            "show_debt": can_read_money and self.env.user.has_groups(DEBT_GROUPS),
            "receivable_ids": receivable_account_ids(self.env, company_ids)
            if can_read_money
            else [],
        }

    @api.model
    def _sh_timeline_statement(self, ctx):
        """One statement: the sources' events, the running debt over the
        whole history's money events, then the asked kinds and period, newest
        first, one page (and one event more, to know whether more follow)."""
        self.env.flush_all()
        sources = self._sh_timeline_sources(ctx["partner"], ctx)
        conditions = [SQL("ev.kind IN %s", tuple(ctx["kinds"]))]
        env = self.env(context=dict(self.env.context, tz=ctx["tz"]))
        if ctx["date_from"]:
            start, _end = datetime_bounds(env, ctx["date_from"], ctx["date_from"])
            conditions.append(SQL("ev.date >= %s", start))
        if ctx["date_to"]:
            _start, end = datetime_bounds(env, ctx["date_to"], ctx["date_to"])
            conditions.append(SQL("ev.date < %s", end))
        return SQL(
            """
            WITH events AS (%(union)s),
            ledger AS (
                SELECT ev.*,
                       SUM(ev.debt_delta) OVER (
                           ORDER BY ev.date, ev.sort_id, ev.kind, ev.res_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                       ) AS running_debt
                  FROM events ev
            )
            SELECT ev.kind, ev.date, ev.all_day, ev.res_model, ev.res_id, ev.name,
                   ev.amount, ev.points, ev.user_id, ev.detail,
                   CASE WHEN ev.debt_delta IS NOT NULL THEN ev.running_debt END AS debt
              FROM ledger ev
             WHERE %(conditions)s
             ORDER BY ev.date DESC, ev.sort_id DESC, ev.kind DESC, ev.res_id DESC
             LIMIT %(limit)s OFFSET %(offset)s
            """,
            union=SQL(" UNION ALL ").join(SQL("(%s)", source) for source in sources),
            conditions=SQL(" AND ").join(conditions),
            limit=ctx["limit"] + 1,
            offset=ctx["offset"],
        )

    @api.model
    def _sh_kinds_data(self, ctx):
        """The kinds the user may filter on: not the money events' for a
        user who may not read journal items, nor the matchings for one who
        may not see receivables (their sources give them nothing)."""
        hidden = set()
        if not ctx["can_read_money"]:
            hidden |= {*MONEY_KINDS, "reconciliation"}
        elif not (
            ctx["show_debt"] and self.env["account.partial.reconcile"].browse().has_access("read")
        ):
            hidden.add("reconciliation")
        kinds = sorted(self._sh_timeline_kinds(), key=lambda kind: kind["sequence"])
        return [
            {"key": k["key"], "label": k["label"], "icon": k["icon"]}
            for k in kinds
            if k["key"] not in hidden
        ]

    @api.model
    def _sh_events(self, ctx, rows):
        """The page's rows as plain data, with the names of their users read
        at once."""
        currency = ctx["currency"]
        # Users' names: every internal user may read them, but a customer's
        # message may come from a user of another company.
        users = self.env["res.users"].sudo().browse({row["user_id"] for row in rows} - {None})
        names = {user.id: user.name for user in users.with_context(active_test=False)}
        tz = pytz.timezone(ctx["tz"])
        show_debt = ctx["show_debt"]
        events = []
        for row in rows:
            if row["all_day"]:
                day = pytz.utc.localize(row["date"]).astimezone(tz).date()
                date = fields.Date.to_string(day)
            else:
                date = fields.Datetime.to_string(row["date"])
            events.append(
                {
                    "kind": row["kind"],
                    "date": date,
                    "all_day": row["all_day"],
                    "res_model": row["res_model"],
                    "res_id": row["res_id"],
                    "name": row["name"] or "",
                    "amount": None
                    if row["amount"] is None
                    else currency.round(float(row["amount"])),
                    "points": None if row["points"] is None else float(row["points"]),
                    "user": names.get(row["user_id"], "") if row["user_id"] else "",
                    "detail": row["detail"] or "",
                    "debt": currency.round(float(row["debt"]))
                    if show_debt and row["debt"] is not None
                    else None,
                }
            )
        return events
