"""The demo customers' payments (and money given back on credit notes),
posted and matched with what they pay, as Register Payment does. Part of
the demo generator (generator.py)."""

from odoo import Command


class PaymentCreation:
    """Creates the planned payments; mixed into
    :class:`~.generator.CustomerDemoGenerator`."""

    def _create_payments(self, payments, journals, move_ids, batch_size):
        """Customer payments (and money given back on credit notes), posted
        and matched with what they pay, as Register Payment does. A document
        paid twice in a period is paid in a second round, after the first.

        :return: the number of payments created
        """
        payments = sorted(payments, key=lambda item: (item["date"], item["key"]))
        created = 0
        while payments:
            seen = set()
            this_round, later = [], []
            for item in payments:
                key = ("refund", item["key"]) if item.get("refund") else item["key"]
                (later if key in seen else this_round).append(item)
                seen.add(key)
            for index in range(0, len(this_round), batch_size):
                batch = this_round[index : index + batch_size]
                created += self._create_payment_batch(batch, journals, move_ids)
            payments = later
        return created

    def _create_payment_batch(self, items, journals, move_ids):
        """One payment per document, except that a company paying several
        invoices in full on one day makes one payment for all of them (as
        Register Payment does with "Group Payments")."""
        keys = [("refund", item["key"]) if item.get("refund") else item["key"] for item in items]
        items = [item for item, key in zip(items, keys, strict=True) if key in move_ids]
        # One recordset, so that reading the documents takes one query per field.
        moves = self.env["account.move"].browse([move_ids[key] for key in keys if key in move_ids])
        groups = {}
        for item, move in zip(items, moves, strict=True):
            lines = move.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable" and not line.reconciled
            )
            residual = sum(lines.mapped("amount_residual"))
            if not lines or move.currency_id.is_zero(residual):
                continue
            partner = move.commercial_partner_id
            retail = partner.sh_customer_type == "retail"
            grouped = not retail and item["fraction"] == 1 and residual > 0
            group_key = (partner.id, item["date"]) if grouped else (move.id,)
            group = groups.setdefault(
                group_key,
                {
                    "date": item["date"],
                    "partner": partner,
                    "journal": journals["cash" if retail else "bank"],
                    "moves": move.browse(),
                    "lines": lines.browse(),
                    "amount": 0.0,
                },
            )
            amount = residual if item["fraction"] == 1 else residual * item["fraction"]
            group["moves"] |= move
            group["lines"] |= lines
            group["amount"] += move.currency_id.round(amount)
        if not groups:
            return 0
        payments = (
            self.env["account.payment"]
            .with_context(skip_invoice_sync=True)
            .create(
                [
                    {
                        "date": group["date"],
                        "amount": abs(group["amount"]),
                        "payment_type": "inbound" if group["amount"] > 0 else "outbound",
                        "partner_type": "customer",
                        "memo": " ".join(group["moves"].mapped("name")),
                        "journal_id": group["journal"].id,
                        "partner_id": group["partner"].id,
                        "destination_account_id": group["lines"][0].account_id.id,
                        "invoice_ids": [Command.set(group["moves"].ids)],
                    }
                    for group in groups.values()
                ]
            )
        )
        payments.action_post()
        plan = []
        for payment, group in zip(payments, groups.values(), strict=True):
            account = group["lines"][0].account_id
            payment_lines = payment.move_id.line_ids.filtered(
                lambda line, account=account: line.account_id == account
            )
            plan.append(payment_lines + group["lines"])
        self.env["account.move.line"]._reconcile_plan(plan)
        return len(payments)
