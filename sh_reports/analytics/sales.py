"""The statements of the report Sales by Customer and its Pareto rule.

The customers' sales, invoices and first purchase of a period and of the
one before it are read from their sales history (``sh.customer.figure``),
as the dashboard reads them: sales are posted invoices less posted credit
notes, untaxed, in company currency, per commercial partner, counted over
the company's whole tree. What the history does not hold (the products
sold, their cost) is read from the invoice lines of the same documents,
through ``account.move``'s ``_search`` so that the record rules on invoices
hold."""

from datetime import timedelta

from odoo.tools import SQL

# What the customers can be ranked by.
MEASURES = ("net_sales", "invoices", "aov", "margin")
DEFAULT_MEASURE = "net_sales"
# The ABC classes of the Pareto rule: a customer is in the first class
# whose limit the customers ranked above it (by net sales) have not
# reached, as a cumulative share of the period's net sales.
ABC_LIMITS = ((80.0, "A"), (95.0, "B"))
LAST_CLASS = "C"
# The products shown per customer.
TOP_PRODUCTS = 3


def abc_class(share_before):
    """The class of a customer whose better-selling customers make
    ``share_before`` percent of the period's net sales."""
    for limit, name in ABC_LIMITS:
        if share_before < limit:
            return name
    return LAST_CLASS


def _documents(env, ctx, start, end):
    """The posted customer invoices and credit notes the user may read,
    dated between ``start`` and ``end``, of the companies of the report's
    company tree, as a query on account_move."""
    return env["account.move"]._search(
        [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("company_id", "in", ctx["company_ids"]),
            ("invoice_date", ">=", start),
            ("invoice_date", "<=", end),
        ]
    )


def _document_lines(env, ctx, customers, start, end):
    """The product lines of the documents of ``_documents`` of the
    customers ``customers`` (a statement of their ids, one row each), each
    with its document's day, its customer, its net sales (untaxed, company
    currency: a credit note's are negative), its quantity in the product's
    unit (negative on a credit note) and its product's cost in the company
    (NULL without a product), the amounts as floats: they are summed by
    the hundred thousand, then rounded to the currency."""
    query = _documents(env, ctx, start, end)
    documents = query.select(
        SQL.identifier(query.table, "id"),
        SQL("%s AS partner_id", SQL.identifier(query.table, "commercial_partner_id")),
        SQL("%s AS day", SQL.identifier(query.table, "invoice_date")),
        SQL.identifier(query.table, "move_type"),
    )
    cost = env["product.product"]._field_to_sql("product", "standard_price")
    # The customers are joined, not looked up: the planner then reads the
    # period's documents at once rather than each customer's by its index.
    return SQL(
        """
        SELECT doc.partner_id, doc.day, line.product_id,
               (-line.balance)::float8 AS net_sales,
               (CASE WHEN doc.move_type = 'out_refund' THEN -1 ELSE 1 END
                   * line.quantity / COALESCE(NULLIF(line_uom.factor, 0), 1)
                   * COALESCE(product_uom.factor, 1))::float8 AS quantity,
               %(cost)s AS cost
          FROM (%(documents)s) doc
          JOIN (%(customers)s) customer ON customer.id = doc.partner_id
          JOIN account_move_line line ON line.move_id = doc.id
          LEFT JOIN uom_uom line_uom ON line_uom.id = line.product_uom_id
          LEFT JOIN product_product product ON product.id = line.product_id
          LEFT JOIN product_template template ON template.id = product.product_tmpl_id
          LEFT JOIN uom_uom product_uom ON product_uom.id = template.uom_id
         WHERE line.display_type = 'product'
        """,
        documents=documents,
        cost=SQL("CASE WHEN line.product_id IS NOT NULL THEN (%s)::float8 END", cost),
        customers=customers,
    )


def flush_documents(env):
    """Write what the line statements read."""
    env["account.move"].flush_model(
        ["move_type", "state", "company_id", "invoice_date", "commercial_partner_id"]
    )
    env["account.move.line"].flush_model(
        ["move_id", "display_type", "balance", "quantity", "product_id", "product_uom_id"]
    )
    env["product.product"].flush_model(["standard_price", "product_tmpl_id"])
    env["product.template"].flush_model(["uom_id"])


def customer_sales_sql(env, ctx, query, with_costs):
    """One row per customer of ``query`` (the report's customers, a query
    on res_partner) with a posted document in the period or in the
    previous one: its id, name, code, customer type and salesperson, its
    first purchase, and per period (``cur_``, ``prev_``) whether it has a
    document there, its net sales and invoices from its sales history and,
    with ``with_costs``, from its invoice lines: the cost of its product
    lines at the products' cost today, the net sales of its lines without a
    cost, its net sales of products in the period (``product_sales``) and
    the TOP_PRODUCTS products it bought most of in the period, by net sales
    (its product lines less those of its credit notes), best first
    (``product_ids``, ``quantities`` in the product's unit and
    ``product_net_sales``; NULL without any)."""
    Figure = env["sh.customer.figure"]
    Partner = env["res.partner"]
    figure = Figure._sh_join(query, query.table, ctx["company"])
    periods = {
        "cur": (ctx["date_from"], ctx["date_to"]),
        "prev": (ctx["previous_from"], ctx["previous_to"]),
    }
    # The customer's position in its sales history before and at the end of
    # each period, computed once where the history lies (OFFSET 0), then
    # the periods' figures between them.
    positions = {
        (prefix, edge): (day, SQL.identifier(f"{prefix}_{edge}"))
        for prefix, (start, end) in periods.items()
        for edge, day in (("before", start - timedelta(days=1)), ("last", end))
    }
    history = query.select(
        SQL.identifier(query.table, "id"),
        SQL("%s AS name", Partner._field_to_sql(query.table, "name", query)),
        SQL("%s AS code", Partner._field_to_sql(query.table, "sh_customer_code", query)),
        SQL("%s AS customer_type", Partner._field_to_sql(query.table, "sh_customer_type", query)),
        SQL("%s AS user_id", Partner._field_to_sql(query.table, "user_id", query)),
        SQL("%s AS first_purchase", Figure._sh_column(figure, "first_purchase_date")),
        *(SQL.identifier(figure, column) for column in Figure._sh_history_columns("sales")),
        *(
            SQL("%s AS %s", Figure._sh_position(figure, day), name)
            for day, name in positions.values()
        ),
    )
    columns = []
    for prefix in periods:
        before, last = positions[prefix, "before"][1], positions[prefix, "last"][1]
        columns += [
            SQL("COALESCE(%s > %s, FALSE) AS %s", last, before, SQL.identifier(f"{prefix}_sold")),
            SQL(
                "%s AS %s",
                Figure._sh_sales_between("history", before, last),
                SQL.identifier(f"{prefix}_sales"),
            ),
            SQL(
                "%s AS %s",
                Figure._sh_invoices_between("history", before, last),
                SQL.identifier(f"{prefix}_invoices"),
            ),
        ]
    customers = SQL(
        """
        SELECT history.id, history.name, history.code, history.customer_type,
               history.user_id, history.first_purchase, %s
          FROM (%s OFFSET 0) history
        """,
        SQL(", ").join(columns),
        history,
    )
    if not with_costs:
        return SQL(
            """
            SELECT customer.*, NULL::float8 AS cur_cost, NULL::float8 AS prev_cost,
                   NULL::float8 AS cur_uncosted, NULL::float8 AS product_sales,
                   NULL::int[] AS product_ids, NULL::float8[] AS quantities,
                   NULL::float8[] AS product_net_sales
              FROM (%s) customer
             WHERE customer.cur_sold OR customer.prev_sold
             ORDER BY customer.id
            """,
            customers,
        )
    first = min(ctx["date_from"], ctx["previous_from"])
    last = max(ctx["date_to"], ctx["previous_to"])
    df, dt = periods["cur"]
    pf, pt = periods["prev"]
    # The lines of both periods are read once, summed per customer and
    # product: the customers' costs and their top products both come from
    # those sums.
    return SQL(
        """
        WITH customer AS MATERIALIZED (
            SELECT * FROM (%(customers)s) customer
             WHERE customer.cur_sold OR customer.prev_sold
        ),
        line AS (%(lines)s),
        bought AS (
            SELECT line.partner_id, line.product_id,
                   SUM(line.quantity * line.cost) FILTER (WHERE line.current) AS cur_cost,
                   SUM(line.quantity * line.cost) FILTER (
                       WHERE line.day BETWEEN %(pf)s AND %(pt)s) AS prev_cost,
                   SUM(line.net_sales) FILTER (
                       WHERE line.current AND COALESCE(line.cost, 0) = 0) AS cur_uncosted,
                   SUM(line.quantity) FILTER (WHERE line.current) AS quantity,
                   SUM(line.net_sales) FILTER (WHERE line.current) AS net_sales,
                   BOOL_OR(line.current) AS current
              FROM (SELECT line.*, line.day BETWEEN %(df)s AND %(dt)s AS current
                      FROM line) line
             GROUP BY line.partner_id, line.product_id
        ),
        product AS (
            SELECT bought.*,
                   ROW_NUMBER() OVER (
                       PARTITION BY bought.partner_id
                       ORDER BY bought.net_sales DESC, bought.product_id
                   ) AS rank
              FROM bought
             WHERE bought.current AND bought.product_id IS NOT NULL
        ),
        cost AS (
            SELECT bought.partner_id,
                   SUM(bought.cur_cost) AS cur_cost,
                   SUM(bought.prev_cost) AS prev_cost,
                   SUM(bought.cur_uncosted) AS cur_uncosted,
                   SUM(bought.net_sales) FILTER (
                       WHERE bought.current AND bought.product_id IS NOT NULL
                   ) AS product_sales
              FROM bought
             GROUP BY bought.partner_id
        ),
        top AS (
            SELECT product.partner_id,
                   ARRAY_AGG(product.product_id ORDER BY product.rank) AS product_ids,
                   ARRAY_AGG(product.quantity::float8 ORDER BY product.rank) AS quantities,
                   ARRAY_AGG(product.net_sales::float8 ORDER BY product.rank) AS product_net_sales
              FROM product
             WHERE product.rank <= %(limit)s
             GROUP BY product.partner_id
        )
        SELECT customer.*,
               COALESCE(cost.cur_cost, 0)::float8 AS cur_cost,
               COALESCE(cost.prev_cost, 0)::float8 AS prev_cost,
               COALESCE(cost.cur_uncosted, 0)::float8 AS cur_uncosted,
               COALESCE(cost.product_sales, 0)::float8 AS product_sales,
               top.product_ids, top.quantities, top.product_net_sales
          FROM customer
          LEFT JOIN cost ON cost.partner_id = customer.id
          LEFT JOIN top ON top.partner_id = customer.id
         ORDER BY customer.id
        """,
        customers=customers,
        lines=_document_lines(env, ctx, SQL("SELECT id FROM customer"), first, last),
        df=df,
        dt=dt,
        pf=pf,
        pt=pt,
        limit=TOP_PRODUCTS,
    )
