"""Demo data of an auto-parts retailer: customers, products, two years of
posted invoices, credit notes and payments, made through Odoo's own
accounting flows so that Odoo's receivable and our figures agree.

The generator is made of a few files beside this one: catalogue.py (the
products, the kinds of customers, names and cities: plain data),
retailer.py (the retailer's company, language, journals and products),
customers.py, documents.py (invoices and credit notes) and payments.py.

Not part of the addon's models: the demo data (``res.partner._sh_generate_demo``,
called by demo/sh_customers_demo.xml) and the benchmark (bench/build_data.py)
import it when they run::

    from odoo.addons.sh_customers.demo.generator import generate
    generate(env, customers=20000, seed=2024)
"""

import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields

from .customers import CustomerPlanning
from .documents import DocumentPlanning
from .payments import PaymentCreation
from .retailer import RetailerSetup

_logger = logging.getLogger(__name__)


def generate(env, **options):
    """Generate customers with their documents in ``env``'s company; the
    options are those of :meth:`CustomerDemoGenerator.generate`."""
    return CustomerDemoGenerator(env).generate(**options)


def generate_demo(env):
    """The addon's demo data (see :meth:`CustomerDemoGenerator.generate_demo`)."""
    return CustomerDemoGenerator(env).generate_demo()


class CustomerDemoGenerator(RetailerSetup, CustomerPlanning, DocumentPlanning, PaymentCreation):
    """Seeded generator of the customers of an auto-parts retailer, working
    in ``env`` (its company, its user's language and time zone)."""

    def __init__(self, env):
        self.env = env

    def generate(
        self,
        customers=300,
        seed=2024,
        years=2,
        today=None,
        activity=1.0,
        batch_size=1000,
        checkpoint=None,
    ):
        """Create ``customers`` customers of an auto-parts retailer with
        ``years`` years of posted invoices, credit notes and payments up to
        ``today``, in the current company; the same data for the same seed
        and day. ``activity`` scales how often customers buy.

        Everything goes through Odoo's accounting flows: invoices and credit
        notes are created and posted, credit notes are matched with their
        invoice by Odoo, payments are posted and matched with what they pay.
        Documents are created in batches of at most ``batch_size``, one
        period after the other (a month, or more when months are small).
        ``checkpoint`` (a callable) is called after every period, e.g. by a
        benchmark that commits as it goes.

        :return: a dict counting what was created
        """
        if not self.env.context.get("tracking_disable"):
            # No chatter messages on thousands of generated documents.
            # Nor a refresh of the customer figures at every posting: they are
            # computed once, at the end.
            env = self.env(
                context=dict(
                    self.env.context,
                    tracking_disable=True,
                    mail_create_nolog=True,
                    mail_create_nosubscribe=True,
                    mail_notrack=True,
                    sh_defer_customer_stats=True,
                )
            )
            return type(self)(env).generate(
                customers, seed, years, today, activity, batch_size, checkpoint
            )
        started = time.monotonic()
        today = fields.Date.to_date(today) or fields.Date.context_today(self.env.user)
        start = today - relativedelta(years=years) + timedelta(days=1)
        rng = random.Random(seed)
        company = self.env.company
        journals = self._demo_journals(company)
        if not journals:
            _logger.info("No chart of accounts in %s: no demo customers generated.", company.name)
            return {}
        scale = self._price_scale(company)
        products = self._demo_products(scale)
        plans = self._plan_customers(rng, customers, activity, scale)
        partners = self._create_customers(rng, plans, batch_size)
        months = self._plan_documents(rng, plans, products, start, today, scale)
        counts = defaultdict(int, customers=len(plans))
        self._create_documents(months, partners, journals, batch_size, counts, checkpoint)
        partner_model = self.env["res.partner"].with_context(sh_defer_customer_stats=False)
        partner_model._sh_compute_rfm_breakpoints(today=today)
        partner_model._sh_refresh_customer_stats(today=today, all_customers=True)
        _logger.info(
            "Demo data: %s customers, %s invoices, %s credit notes, %s payments in %.0f s",
            counts["customers"],
            counts["invoices"],
            counts["credit_notes"],
            counts["payments"],
            time.monotonic() - started,
        )
        return dict(counts)

    def _create_documents(self, months, partners, journals, batch_size, counts, checkpoint):
        """Create the planned documents one period after the other, adding
        what was created to ``counts``."""
        started = time.monotonic()
        # Key of a document in the plan (an invoice's number, or ("refund",
        # number) for the credit note on it) -> account.move id
        move_ids = {}
        for period, events in self._periods(months, batch_size // 4):
            self._create_invoices(events["invoices"], partners, journals, move_ids, batch_size)
            self._create_credit_notes(events["credit_notes"], move_ids, batch_size)
            counts["invoices"] += len(events["invoices"])
            counts["credit_notes"] += len(events["credit_notes"])
            counts["payments"] += self._create_payments(
                events["payments"], journals, move_ids, batch_size
            )
            # Not a model's cache hygiene: a bulk load drops the period's
            # thousands of records from memory before the next period.
            self.env.invalidate_all()
            _logger.info(
                "Demo data: %s done, %s invoices and credit notes, %s payments (%.0f s)",
                period,
                counts["invoices"] + counts["credit_notes"],
                counts["payments"],
                time.monotonic() - started,
            )
            if checkpoint:
                checkpoint()

    def generate_demo(self):
        """The addon's demo data, loaded once at install: the retailer's
        company (in Riyadh, its documents ready to print), the Arabic
        language its customers speak, and a few hundred customers, sized to
        keep the install quick. Odoo's own sample partners stay in the
        database (their sample invoices need them) but are not the
        retailer's customers."""
        self._demo_company(self.env.company)
        self._demo_arabic()
        self._demo_set_aside_sample_customers()
        return self.generate(customers=300, seed=2024, activity=0.5)
