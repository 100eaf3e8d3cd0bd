"""The demo customers' invoices and credit notes: when each customer buys
what, which invoices are cancelled or partly returned, and their creation
and posting through Odoo's accounting flows, one period after the other.
Part of the demo generator (generator.py)."""

import math
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command

from .catalogue import (
    FULL_REVERSAL_RATE,
    PAYMENT_TERM_DAYS,
    PRODUCTS,
    PROFILES,
    RETURN_RATE,
)


class DocumentPlanning:
    """Plans every document by month and creates the invoices and credit
    notes; mixed into :class:`~.generator.CustomerDemoGenerator`."""

    def _plan_documents(self, rng, plans, products, start, today, scale=1.0):
        """Every invoice, credit note and payment with its date, by month:
        {"2025-05": {"invoices": [...], "credit_notes": [...],
        "payments": [...]}}; prices in riyals times ``scale``."""
        days = (today - start).days + 1
        months = defaultdict(lambda: defaultdict(list))
        product_by_categ = defaultdict(list)
        for product, (_code, _en, _ar, categ, price, _cost, quantities) in zip(
            products, PRODUCTS, strict=True
        ):
            product_by_categ[categ].append((product.id, round(price * scale, 2), quantities))
        number = 0
        for customer_index, plan in enumerate(plans):
            if plan["prospect"]:
                continue
            profile = PROFILES[plan["kind"]]
            first_day = 0 if plan["existing"] else int(plan["join"] * days)
            last_day = days - 1
            if plan["churn"]:
                last_day = first_day + int(plan["stop"] * (last_day - first_day))
            mean_gap = 30.44 / plan["rate"]
            # Customers already buying are met anywhere in their cycle; new
            # ones buy on the day they come.
            day = first_day + (rng.expovariate(1 / mean_gap) if plan["existing"] else 0)
            dates = []
            while day <= last_day:
                dates.append(start + timedelta(days=int(day)))
                day += rng.expovariate(1 / mean_gap)
            if not dates:
                dates.append(start + timedelta(days=rng.randint(first_day, last_day)))
            categories = list(profile["categories"])
            weights = list(profile["categories"].values())
            for date in dates:
                number += 1
                lines = []
                for categ in rng.choices(categories, weights, k=rng.choice(profile["lines"])):
                    product_id, price, quantities = rng.choice(product_by_categ[categ])
                    quantity = rng.choice(quantities) * rng.choice(profile["qty_factor"])
                    lines.append((product_id, quantity, price, rng.choice(profile["discounts"])))
                invoice = {"key": number, "customer": customer_index, "date": date, "lines": lines}
                months[date.strftime("%Y-%m")]["invoices"].append(invoice)
                due = date + timedelta(days=PAYMENT_TERM_DAYS[plan["kind"]])
                self._plan_invoice_fate(rng, plan, invoice, due, today, months)
        return months

    def _plan_invoice_fate(self, rng, plan, invoice, due, today, months):
        """The credit notes and payments of one invoice, by the customer's
        way of paying. A payment is "full" (fraction 1: what is left to pay
        on that day) or a fraction of what is left."""
        date, key = invoice["date"], invoice["key"]

        def add(kind, when, **values):
            if when <= today:
                months[when.strftime("%Y-%m")][kind].append({"key": key, "date": when, **values})

        def pay_day(when):
            """The customer's next payment day on or after ``when``."""
            if not plan["pay_day"]:
                return when
            day = when.replace(day=plan["pay_day"])
            return day if day >= when else day + relativedelta(months=1)

        if plan["payer"] != "cash" and rng.random() < FULL_REVERSAL_RATE:
            # Cancelled by a credit note of the whole invoice.
            add("credit_notes", date + timedelta(days=rng.randint(1, 20)), line=None, fraction=1)
            return
        if rng.random() < RETURN_RATE:
            when = date + timedelta(days=rng.randint(1, 30))
            line = rng.randrange(len(invoice["lines"]))
            add("credit_notes", when, line=line, fraction=rng.choice((0.5, 1)))
            # Money given back when the invoice was already paid.
            add("payments", when + timedelta(days=rng.randint(0, 3)), fraction=1, refund=True)
        payer = plan["payer"]
        if payer == "cash":
            add("payments", date, fraction=1)
        elif payer == "prompt":
            if rng.random() < 0.05:
                add("payments", pay_day(due + timedelta(days=rng.randint(1, 20))), fraction=1)
            else:
                when = pay_day(due - relativedelta(months=1))
                add("payments", when if date <= when <= due else due, fraction=1)
        elif payer == "late":
            when = pay_day(due + timedelta(days=rng.randint(5, 120)))
            add("payments", when, fraction=1 if rng.random() < 0.85 else rng.uniform(0.3, 0.8))
        elif payer == "partial":
            when = pay_day(max(date, due + timedelta(days=rng.randint(-10, 60))))
            add("payments", when, fraction=rng.uniform(0.3, 0.8))
            if rng.random() < 0.5:
                add("payments", pay_day(when + timedelta(days=rng.randint(15, 90))), fraction=1)
        else:  # pays late, part of it, or never
            luck = rng.random()
            when = pay_day(due + timedelta(days=rng.randint(30, 200)))
            if luck < 0.2:
                add("payments", when, fraction=1)
            elif luck < 0.5:
                add("payments", when, fraction=rng.uniform(0.2, 0.6))

    def _periods(self, months, min_invoices):
        """Consecutive months merged until a period has ``min_invoices``
        invoices, so that small volumes still post in sizeable batches."""
        period, events = [], defaultdict(list)
        for month in sorted(months):
            period.append(month)
            for kind, items in months[month].items():
                events[kind].extend(items)
            if len(events["invoices"]) >= min_invoices or month == max(months):
                yield (period[0] if len(period) == 1 else f"{period[0]}..{period[-1]}"), events
                period, events = [], defaultdict(list)

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------

    def _create_invoices(self, invoices, partners, journals, move_ids, batch_size):
        move_model = self.env["account.move"]
        # Sales without a salesperson are made at the counter.
        counter_user = self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user
        invoices = sorted(invoices, key=lambda invoice: (invoice["date"], invoice["key"]))
        for index in range(0, len(invoices), batch_size):
            batch = invoices[index : index + batch_size]
            vals_list = []
            for invoice in batch:
                customer, invoice_partner = partners[invoice["customer"]]
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "journal_id": journals["sale"].id,
                        "partner_id": invoice_partner.id,
                        "invoice_date": invoice["date"],
                        "invoice_user_id": customer.user_id.id or counter_user.id,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product_id,
                                    "quantity": quantity,
                                    "price_unit": price,
                                    "discount": discount,
                                }
                            )
                            for product_id, quantity, price, discount in invoice["lines"]
                        ],
                    }
                )
            moves = move_model.create(vals_list)
            moves.action_post()
            for invoice, move in zip(batch, moves, strict=True):
                move_ids[invoice["key"]] = move.id

    def _create_credit_notes(self, credit_notes, move_ids, batch_size):
        """Credit notes on invoices, as the Credit Note button makes them:
        the whole invoice (cancelled) or goods brought back (one line, all
        or half of its quantity). Posting matches each with its invoice."""
        credit_notes = sorted(credit_notes, key=lambda item: (item["date"], item["key"]))
        move_model = self.env["account.move"]
        for index in range(0, len(credit_notes), batch_size):
            batch = credit_notes[index : index + batch_size]
            invoices = move_model.browse([move_ids[item["key"]] for item in batch])
            vals_list = []
            for item, invoice in zip(batch, invoices, strict=True):
                lines = invoice.invoice_line_ids.sorted("id")
                if item["line"] is None:
                    ref = f"Reversal of: {invoice.name}"
                else:
                    lines = lines[item["line"]]
                    ref = f"Returned goods: {invoice.name}"
                vals_list.append(
                    {
                        "move_type": "out_refund",
                        "journal_id": invoice.journal_id.id,
                        "partner_id": invoice.partner_id.id,
                        "invoice_date": item["date"],
                        "reversed_entry_id": invoice.id,
                        "ref": ref,
                        "invoice_user_id": invoice.invoice_user_id.id,
                        "invoice_payment_term_id": False,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": line.product_id.id,
                                    "quantity": max(
                                        1, math.floor(line.quantity * item["fraction"])
                                    ),
                                    "price_unit": line.price_unit,
                                    "discount": line.discount,
                                    "tax_ids": [Command.set(line.tax_ids.ids)],
                                }
                            )
                            for line in lines
                        ],
                    }
                )
            refunds = move_model.create(vals_list)
            refunds.action_post()
            for item, refund in zip(batch, refunds, strict=True):
                move_ids[("refund", item["key"])] = refund.id
