"""Demo data of an auto-parts retailer: customers, products, two years of
posted invoices, credit notes and payments, made through Odoo's own
accounting flows so that Odoo's receivable and our figures agree.

Not part of the addon's models: the demo data (``res.partner._sh_generate_demo``,
called by demo/sh_customers_demo.xml) and the benchmark (bench/build_data.py)
import it when they run::

    from odoo.addons.sh_customers.demo.generator import generate
    generate(env, customers=20000, seed=2024)
"""

import base64
import logging
import math
import random
import time
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

# (key, English name, Arabic name)
CATEGORIES = [
    ("brakes", "Brakes", "الفرامل"),
    ("filters", "Filters", "الفلاتر"),
    ("ignition", "Ignition", "الإشعال"),
    ("batteries", "Batteries", "البطاريات"),
    ("tyres", "Tyres", "الإطارات"),
    ("oils", "Oils and Fluids", "الزيوت والسوائل"),
    ("suspension", "Suspension", "نظام التعليق"),
    ("engine", "Engine Parts", "قطع المحرك"),
    ("electrical", "Electrical", "الكهرباء"),
    ("body", "Body and Cooling", "الهيكل والتبريد"),
]

# (default code, English name, Arabic name, category, list price, cost,
#  usual quantities on one line)
PRODUCTS = [
    ("BRK-PAD-F", "Front Brake Pads", "فحمات فرامل أمامية", "brakes", 180, 105, (1, 1, 2)),
    ("BRK-PAD-R", "Rear Brake Pads", "فحمات فرامل خلفية", "brakes", 140, 80, (1, 1, 2)),
    ("BRK-DSC-F", "Front Brake Disc", "هوبات فرامل أمامية", "brakes", 320, 190, (1, 2)),
    ("BRK-FLD-4", "Brake Fluid DOT 4 (1 L)", "زيت فرامل DOT 4 (1 لتر)", "brakes", 45, 24, (1, 2)),
    ("FLT-OIL", "Oil Filter", "فلتر زيت", "filters", 35, 17, (1, 1, 2)),
    ("FLT-AIR", "Air Filter", "فلتر هواء", "filters", 60, 31, (1,)),
    ("FLT-CAB", "Cabin Air Filter", "فلتر مكيف", "filters", 55, 27, (1,)),
    ("FLT-FUEL", "Fuel Filter", "فلتر بنزين", "filters", 75, 40, (1,)),
    ("IGN-SPK-IR", "Iridium Spark Plug", "بوجي إيريديوم", "ignition", 65, 36, (4, 4, 6)),
    ("IGN-SPK-CU", "Copper Spark Plug", "بوجي نحاس", "ignition", 22, 10, (4, 6, 8)),
    ("IGN-COIL", "Ignition Coil", "كويل إشعال", "ignition", 290, 170, (1, 2, 4)),
    ("BAT-55", "Battery 12V 55Ah", "بطارية 12 فولت 55 أمبير", "batteries", 380, 260, (1,)),
    ("BAT-70", "Battery 12V 70Ah", "بطارية 12 فولت 70 أمبير", "batteries", 460, 320, (1,)),
    ("BAT-100", "Battery 12V 100Ah", "بطارية 12 فولت 100 أمبير", "batteries", 720, 510, (1, 2)),
    ("TYR-195-15", "Tyre 195/65 R15", "كفر 195/65 R15", "tyres", 290, 205, (2, 4)),
    ("TYR-205-16", "Tyre 205/55 R16", "كفر 205/55 R16", "tyres", 340, 240, (2, 4)),
    ("TYR-265-17", "Tyre 265/65 R17", "كفر 265/65 R17", "tyres", 610, 440, (2, 4)),
    (
        "TYR-315-22",
        "Truck Tyre 315/80 R22.5",
        "كفر شاحنة 315/80 R22.5",
        "tyres",
        1450,
        1080,
        (2, 6),
    ),
    ("OIL-5W30", "Engine Oil 5W-30 (4 L)", "زيت محرك 5W-30 (4 لتر)", "oils", 165, 98, (1, 1, 2)),
    ("OIL-10W40", "Engine Oil 10W-40 (4 L)", "زيت محرك 10W-40 (4 لتر)", "oils", 120, 70, (1, 2)),
    ("OIL-15W40", "Diesel Oil 15W-40 (20 L)", "زيت ديزل 15W-40 (20 لتر)", "oils", 520, 350, (1,)),
    ("OIL-ATF", "Transmission Fluid ATF (1 L)", "زيت قير (1 لتر)", "oils", 48, 26, (4, 6)),
    ("OIL-COOL", "Coolant (4 L)", "ماء رديتر (4 لتر)", "oils", 55, 28, (1, 2)),
    ("OIL-R134A", "A/C Refrigerant R134a", "فريون مكيف R134a", "oils", 95, 52, (1,)),
    ("SUS-SHK-F", "Front Shock Absorber", "مساعد أمامي", "suspension", 420, 270, (1, 2)),
    ("SUS-SHK-R", "Rear Shock Absorber", "مساعد خلفي", "suspension", 360, 225, (2,)),
    ("SUS-LINK", "Stabilizer Link", "ذراع توازن", "suspension", 85, 44, (1, 2)),
    ("SUS-ARM", "Lower Control Arm", "مقص سفلي", "suspension", 310, 190, (1,)),
    ("ENG-BELT", "Serpentine Belt", "سير مكينة", "engine", 95, 50, (1,)),
    ("ENG-TBELT", "Timing Belt Kit", "طقم سير تايمنق", "engine", 540, 340, (1,)),
    ("ENG-WPUMP", "Water Pump", "طرمبة ماء", "engine", 380, 235, (1,)),
    ("ELC-ALT", "Alternator", "دينمو", "electrical", 1150, 760, (1,)),
    ("ELC-STR", "Starter Motor", "سلف", "electrical", 980, 640, (1,)),
    ("ELC-H4", "Headlight Bulb H4", "لمبة أمامية H4", "electrical", 28, 12, (2,)),
    ("ELC-LED-H7", "LED Bulbs H7 (pair)", "لمبات LED H7 (زوج)", "electrical", 150, 82, (1,)),
    ("BDY-WIPER", "Wiper Blades (pair)", "مساحات (زوج)", "body", 70, 34, (1,)),
    ("BDY-MIRROR", "Side Mirror", "مراية جانبية", "body", 260, 160, (1,)),
    ("BDY-RAD", "Radiator", "رديتر", "body", 890, 590, (1,)),
    ("BDY-FAN", "Radiator Fan", "مروحة رديتر", "body", 430, 275, (1,)),
]

# What each kind of customer buys (category weights), how often (invoices
# per month on average), how much (lines per invoice, quantity factor,
# line discounts), on what terms, and how it pays.
PROFILES = {
    "retail": {
        "share": 0.68,
        "rate": 0.09,
        "lines": (1, 1, 1, 2, 2, 3),
        "qty_factor": (1,),
        "discounts": (0, 0, 0, 0, 5),
        "categories": {
            "oils": 6,
            "filters": 5,
            "batteries": 4,
            "tyres": 3,
            "electrical": 3,
            "body": 3,
            "brakes": 3,
            "ignition": 2,
        },
        "payment_term": "account.account_payment_term_immediate",
        "credit_limit": (0.03, 1, 3),
        "payers": {"cash": 85, "prompt": 9, "late": 4, "bad": 2},
        "email": 0.3,
        "salesperson": 0.05,
        "contact": 0.0,
    },
    "workshop": {
        "share": 0.19,
        "rate": 0.55,
        "lines": (1, 1, 2, 2, 3, 3, 4, 5),
        "qty_factor": (1, 1, 2, 3),
        "discounts": (5, 5, 10),
        "categories": {
            "brakes": 7,
            "filters": 7,
            "oils": 6,
            "ignition": 5,
            "suspension": 5,
            "engine": 4,
            "electrical": 3,
            "body": 2,
            "batteries": 2,
        },
        "payment_term": "account.account_payment_term_30days",
        "credit_limit": (0.5, 5, 30),
        "payers": {"prompt": 45, "late": 35, "partial": 12, "bad": 8},
        "email": 0.6,
        "salesperson": 0.6,
        "contact": 0.2,
    },
    "fleet": {
        "share": 0.06,
        "rate": 0.45,
        "lines": (1, 2, 3, 3, 4, 5, 6),
        "qty_factor": (2, 3, 4, 6),
        "discounts": (7, 10, 12),
        "categories": {
            "tyres": 8,
            "batteries": 5,
            "oils": 6,
            "filters": 6,
            "brakes": 5,
            "suspension": 2,
            "electrical": 2,
        },
        "payment_term": "account.account_payment_term_45days",
        "credit_limit": (0.8, 20, 150),
        "payers": {"prompt": 55, "late": 35, "partial": 7, "bad": 3},
        "email": 0.9,
        "salesperson": 0.9,
        "contact": 0.4,
    },
    "wholesale": {
        "share": 0.07,
        "rate": 0.8,
        "lines": (2, 3, 4, 5, 6, 7),
        "qty_factor": (5, 10, 10, 20),
        "discounts": (15, 15, 20),
        "categories": {
            "brakes": 5,
            "filters": 6,
            "ignition": 4,
            "batteries": 4,
            "tyres": 5,
            "oils": 6,
            "suspension": 3,
            "engine": 3,
            "electrical": 3,
            "body": 2,
        },
        "payment_term": "account.account_payment_term_30days",
        "credit_limit": (0.8, 50, 300),
        "payers": {"prompt": 40, "late": 40, "partial": 15, "bad": 5},
        "email": 0.9,
        "salesperson": 0.9,
        "contact": 0.3,
    },
}

# Days to pay, as the payment terms of the profiles above say.
PAYMENT_TERM_DAYS = {"retail": 0, "workshop": 30, "fleet": 45, "wholesale": 30}
PROSPECT_SHARE = 0.06  # customers who never bought
EXISTING_SHARE = 0.55  # customers already buying when the period starts
CHURN_SHARE = 0.15  # customers who stop buying during the period
FULL_REVERSAL_RATE = 0.02  # invoices cancelled by a credit note
RETURN_RATE = 0.03  # invoices with part of the goods returned

FIRST_NAMES = [
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("عبدالله", "Abdullah"),
    ("فهد", "Fahad"),
    ("خالد", "Khalid"),
    ("سعود", "Saud"),
    ("عبدالرحمن", "Abdulrahman"),
    ("فيصل", "Faisal"),
    ("سلطان", "Sultan"),
    ("ناصر", "Nasser"),
    ("تركي", "Turki"),
    ("بندر", "Bandar"),
    ("ماجد", "Majed"),
    ("يوسف", "Yousef"),
    ("عمر", "Omar"),
    ("علي", "Ali"),
    ("إبراهيم", "Ibrahim"),
    ("سعد", "Saad"),
    ("نايف", "Naif"),
    ("مشعل", "Mishal"),
    ("نورة", "Noura"),
    ("سارة", "Sarah"),
    ("ريم", "Reem"),
    ("هند", "Hind"),
]
FAMILY_NAMES = [
    ("القحطاني", "Al-Qahtani"),
    ("العتيبي", "Al-Otaibi"),
    ("الشمري", "Al-Shammari"),
    ("الدوسري", "Al-Dosari"),
    ("الغامدي", "Al-Ghamdi"),
    ("الزهراني", "Al-Zahrani"),
    ("الحربي", "Al-Harbi"),
    ("المطيري", "Al-Mutairi"),
    ("العنزي", "Al-Anazi"),
    ("السبيعي", "Al-Subaie"),
    ("الشهري", "Al-Shehri"),
    ("المالكي", "Al-Malki"),
    ("الجهني", "Al-Juhani"),
    ("البقمي", "Al-Buqami"),
    ("الرشيدي", "Al-Rashidi"),
    ("السهلي", "Al-Sahli"),
    ("العمري", "Al-Omari"),
    ("الأحمدي", "Al-Ahmadi"),
    ("الخالدي", "Al-Khalidi"),
    ("الحارثي", "Al-Harthi"),
]
BUSINESS_ROOTS = [
    ("النور", "Al Noor"),
    ("الأمانة", "Al Amana"),
    ("الخليج", "Gulf"),
    ("الصقر", "Al Saqr"),
    ("النخبة", "Elite"),
    ("الريادة", "Al Riyada"),
    ("الفجر", "Al Fajr"),
    ("الوطنية", "National"),
    ("المستقبل", "Future"),
    ("الإتقان", "Al Itqan"),
    ("السرعة", "Speed"),
    ("الجزيرة", "Al Jazeera"),
    ("الرواد", "Pioneers"),
    ("الأصالة", "Al Asala"),
    ("التميز", "Excellence"),
    ("المملكة", "Kingdom"),
    ("الشرق", "East"),
    ("الهدف", "Al Hadaf"),
    ("النجم", "Star"),
    ("الواحة", "Oasis"),
    ("الفيصل", "Al Faisal"),
    ("البركة", "Al Baraka"),
    ("الماسة", "Diamond"),
    ("القمة", "Summit"),
]
BUSINESS_NAMES = {
    "workshop": [
        ("ورشة {ar} لصيانة السيارات", "{en} Auto Workshop"),
        ("مركز {ar} لخدمة السيارات", "{en} Car Service Center"),
        ("ورشة {ar} للميكانيكا والكهرباء", "{en} Mechanics and Electrics"),
    ],
    "fleet": [
        ("شركة {ar} للنقل", "{en} Transport Co."),
        ("{ar} لتأجير السيارات", "{en} Rent a Car"),
        ("شركة {ar} للخدمات اللوجستية", "{en} Logistics"),
    ],
    "wholesale": [
        ("مؤسسة {ar} لقطع الغيار", "{en} Spare Parts Est."),
        ("شركة {ar} التجارية", "{en} Trading Co."),
        ("{ar} لقطع غيار السيارات بالجملة", "{en} Auto Parts Wholesale"),
    ],
}
# (Arabic name, English name, landline area code)
CITIES = [
    ("الرياض", "Riyadh", "11"),
    ("جدة", "Jeddah", "12"),
    ("الدمام", "Dammam", "13"),
    ("مكة المكرمة", "Makkah", "12"),
    ("المدينة المنورة", "Madinah", "14"),
    ("الخبر", "Khobar", "13"),
    ("بريدة", "Buraydah", "16"),
    ("أبها", "Abha", "17"),
    ("تبوك", "Tabuk", "14"),
    ("الطائف", "Taif", "12"),
]
CITY_WEIGHTS = [30, 20, 12, 7, 6, 7, 5, 5, 4, 4]
MOBILE_PREFIXES = ("50", "53", "54", "55", "56", "58", "59")
MAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.com")
SH_ADDONS = ("sh_customers", "sh_loyalty", "sh_interactions", "sh_reports")
# Draws of a name before a customer's name is made longer to be unique.
NAME_DRAWS = 12

# Prices and credit limits above are in Saudi riyals; a company keeping its
# books in US dollars gets them at the riyal's peg.
SAR_PER_USD = 3.75

# The retailer itself, given to the main company of the demo database.
COMPANY = {
    "name": "SH Parts",
    "street": "King Fahd Road, Al Olaya",
    "street2": "Building 7421, Unit 3",
    "city": "Riyadh",
    "zip": "12214",
    "state": "base.state_sa_70",
    "country": "base.sa",
    "phone": "+966 11 465 2200",
    "email": "info@shparts.com.sa",
    "website": "https://www.shparts.com.sa",
    # Saudi VAT numbers: 15 digits, the first and the last a 3.
    "vat": "310245678900003",
    "company_registry": "1010456789",
    "report_header": "قطع غيار السيارات | Auto Spare Parts",
    "logo": "sh_customers/demo/sh_parts_logo.png",
    "layout": "web.external_layout_standard",
    "paperformat": "base.paperformat_euro",
    "primary_color": "#1f3b63",
    "secondary_color": "#d35400",
    "tz": "Asia/Riyadh",
}


def generate(env, **options):
    """Generate customers with their documents in ``env``'s company; the
    options are those of :meth:`CustomerDemoGenerator.generate`."""
    return CustomerDemoGenerator(env).generate(**options)


def generate_demo(env):
    """The addon's demo data (see :meth:`CustomerDemoGenerator.generate_demo`)."""
    return CustomerDemoGenerator(env).generate_demo()


class CustomerDemoGenerator:
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

    def _demo_company(self, company):
        """Give ``company`` the retailer's identity and a document layout,
        so that the first print does not stop at the layout dialog. Its
        currency becomes the Saudi riyal only while it has no journal entry
        (a database created for Saudi Arabia has it already)."""
        ref = self.env.ref
        with file_open(COMPANY["logo"], "rb") as logo:
            logo = base64.b64encode(logo.read())
        company.write(
            {
                **{
                    key: COMPANY[key]
                    for key in (
                        "name",
                        "street",
                        "street2",
                        "city",
                        "zip",
                        "phone",
                        "email",
                        "website",
                        "vat",
                        "company_registry",
                        "report_header",
                        "primary_color",
                        "secondary_color",
                    )
                },
                "state_id": ref(COMPANY["state"]).id,
                "country_id": ref(COMPANY["country"]).id,
                "logo": logo,
                "paperformat_id": ref(COMPANY["paperformat"]).id,
            }
        )
        sar = ref("base.SAR")
        if company.currency_id != sar and not self.env["account.move.line"].search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            sar.active = True
            company.currency_id = sar
        # What the document layout dialog saves: the layout, and the
        # address block and footer it fills from the company.
        layout = self.env["base.document.layout"].with_company(company)
        company.write(
            {
                "external_report_layout_id": ref(COMPANY["layout"]).id,
                "company_details": layout._default_company_details(),
                "report_footer": layout._default_report_footer(),
            }
        )
        admin = ref("base.user_admin", raise_if_not_found=False)
        if admin:
            admin.tz = COMPANY["tz"]

    def _demo_arabic(self):
        """The Arabic language, installed with its translations if it is
        not yet: the customers who speak it get their documents in it."""
        if not self._arabic_lang():
            lang_model = self.env["res.lang"]
            lang = lang_model._activate_lang("ar_001") or lang_model._create_lang("ar_001")
            self.env["base.language.install"].create(
                {"lang_ids": [Command.set(lang.ids)], "overwrite": False}
            ).lang_install()

    def _demo_set_aside_sample_customers(self):
        """Odoo's own sample partners (Azure Interior, Deco Addict...) are
        no customers of an auto-parts retailer: no longer ranked as
        customers, they stay out of the Customers app."""
        samples = self.env["ir.model.data"].search(
            [("model", "=", "res.partner"), ("module", "not in", SH_ADDONS)]
        )
        partners = self.env["res.partner"].browse(samples.mapped("res_id")).exists()
        partners -= self.env["res.company"].search([]).partner_id
        partners.filtered("customer_rank").customer_rank = 0

    def _price_scale(self, company):
        """What a price in Saudi riyals is worth in the company's currency."""
        if company.currency_id == self.env.ref("base.USD"):
            return 1 / SAR_PER_USD
        return 1.0

    # ------------------------------------------------------------------
    # Master data
    # ------------------------------------------------------------------

    def _demo_journals(self, company):
        domain = [("company_id", "=", company.id)]
        journal = self.env["account.journal"]
        sale = journal.search([*domain, ("type", "=", "sale")], limit=1)
        bank = journal.search([*domain, ("type", "=", "bank")], limit=1)
        cash = journal.search([*domain, ("type", "=", "cash")], limit=1) or bank
        if not (sale and bank):
            return {}
        return {"sale": sale, "bank": bank, "cash": cash}

    def _arabic_lang(self):
        codes = [code for code, _name in self.env["res.lang"].get_installed()]
        return next((code for code in codes if code.startswith("ar")), None)

    def _demo_products(self, scale=1.0):
        """The auto-parts catalogue, created once and found again by its
        XML ids; named in Arabic too when an Arabic language is installed;
        priced in riyals times ``scale``."""
        xmlids = [f"sh_customers.sh_demo_product_{code.lower()}" for code, *_rest in PRODUCTS]
        if self.env.ref(xmlids[0], raise_if_not_found=False):
            return self.env["product.product"].browse([self.env.ref(xmlid).id for xmlid in xmlids])
        arabic = self._arabic_lang()
        parent = self.env["product.category"].create({"name": "Auto Parts / قطع غيار السيارات"})
        categories = self.env["product.category"].create(
            # Category names are not translatable: both languages, as on shop labels.
            [{"name": f"{name} / {ar}", "parent_id": parent.id} for _key, name, ar in CATEGORIES]
        )
        category_ids = {
            key: category.id for (key, *_n), category in zip(CATEGORIES, categories, strict=True)
        }
        products = self.env["product.product"].create(
            [
                {
                    "name": name,
                    "default_code": code,
                    "type": "consu",
                    "categ_id": category_ids[categ],
                    "list_price": round(price * scale, 2),
                    "standard_price": round(cost * scale, 2),
                    "sale_ok": True,
                }
                for code, name, _ar, categ, price, cost, _qty in PRODUCTS
            ]
        )
        if arabic:
            for product, (_code, _name, ar_name, *_rest) in zip(products, PRODUCTS, strict=True):
                product.product_tmpl_id.update_field_translations("name", {arabic: ar_name})
        self.env["ir.model.data"].create(
            [
                {
                    "module": "sh_customers",
                    "name": xmlid.split(".")[1],
                    "model": "product.product",
                    "res_id": product.id,
                    "noupdate": True,
                }
                for product, xmlid in zip(products, xmlids, strict=True)
            ]
        )
        return products

    # ------------------------------------------------------------------
    # Customers
    # ------------------------------------------------------------------

    def _plan_customers(self, rng, count, activity, scale=1.0):
        """Who the customers are and how each one buys and pays (no record
        created yet); no two of them have the same name."""
        kinds = list(PROFILES)
        shares = [PROFILES[kind]["share"] for kind in kinds]
        plans = []
        names = set()
        for _index in range(count):
            kind = rng.choices(kinds, shares)[0]
            profile = PROFILES[kind]
            payers = profile["payers"]
            plans.append(
                {
                    "kind": kind,
                    "vals": self._customer_vals(rng, kind, names, scale),
                    "contact": rng.random() < profile["contact"],
                    # A mean-preserving spread of how often each one buys.
                    "rate": profile["rate"] * activity * rng.lognormvariate(-0.245, 0.7),
                    "payer": rng.choices(list(payers), list(payers.values()))[0],
                    # Companies pay their invoices together on one day of the month.
                    "pay_day": rng.randint(1, 28) if kind != "retail" else None,
                    "prospect": rng.random() < PROSPECT_SHARE,
                    "existing": rng.random() < EXISTING_SHARE,
                    "churn": rng.random() < CHURN_SHARE,
                    "join": rng.random(),
                    "stop": rng.random(),
                }
            )
        return plans

    def _customer_vals(self, rng, kind, names, scale=1.0):
        """One customer's values, named in Arabic or in English; a name
        already in ``names`` is drawn again, then made longer as people and
        shops do (a grandfather's name, the branch's city, a number)."""
        profile = PROFILES[kind]
        in_arabic = rng.random() < 0.65
        city_ar, city_en, area_code = rng.choices(CITIES, CITY_WEIGHTS)[0]
        for draw in range(NAME_DRAWS + 1):
            if kind == "retail":
                name_ar, name_en, first_en, family_en = self._person_name(rng, long=draw > 2)
            else:
                root_ar, root_en = rng.choice(BUSINESS_ROOTS)
                pattern_ar, pattern_en = rng.choice(BUSINESS_NAMES[kind])
                name_ar = pattern_ar.format(ar=root_ar)
                name_en = pattern_en.format(en=root_en)
                if draw > 2 or rng.random() < 0.3:
                    branch_ar, branch_en, _code = rng.choices(CITIES, CITY_WEIGHTS)[0]
                    name_ar = f"{name_ar} - {branch_ar}"
                    name_en = f"{name_en} - {branch_en}"
            if (name_ar if in_arabic else name_en) not in names:
                break
        number = 2
        while (name_ar if in_arabic else name_en) in names:
            suffix = f" {number}" if kind == "retail" else f" ({number})"
            name_ar, name_en = f"{name_ar}{suffix}", f"{name_en}{suffix}"
            number += 1
        names.add(name_ar if in_arabic else name_en)
        if kind == "retail":
            mailbox = f"{first_en}.{family_en.replace('-', '')}{rng.randint(1, 99)}".lower()
            email = f"{mailbox}@{rng.choice(MAIL_DOMAINS)}"
            vals = {"is_company": False, "mobile": self._mobile(rng)}
        else:
            slug = "".join(ch if ch.isalnum() else "-" for ch in name_en.lower())
            slug = "-".join(part for part in slug.split("-") if part)
            email = f"{rng.choice(('info', 'accounts', 'sales'))}@{slug}.com.sa"
            vals = {
                "is_company": True,
                "phone": f"+966 {area_code} {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
                "mobile": self._mobile(rng),
                # Saudi VAT numbers: 15 digits, the first and the last a 3.
                "vat": f"3{rng.randint(10**12, 10**13 - 1)}03",
            }
        share, low, high = profile["credit_limit"]
        credit_limit = rng.randint(low, high) * 1000 if rng.random() < share else 0.0
        vals.update(
            {
                "name": name_ar if in_arabic else name_en,
                "sh_customer_type": kind,
                "customer_rank": 1,
                "city": city_ar if in_arabic else city_en,
                "email": email if rng.random() < profile["email"] else False,
                "credit_limit": round(credit_limit * scale, -2),
            }
        )
        return {
            "vals": vals,
            "arabic": in_arabic,
            "salesperson": rng.random() < profile["salesperson"],
        }

    def _person_name(self, rng, long=False):
        """(Arabic name, English name, English first name, English family
        name) of a person: first, father's and family names, and the
        grandfather's too when ``long``."""
        first_ar, first_en = rng.choice(FIRST_NAMES)
        parts = [rng.choice(FIRST_NAMES[:20]) for _index in range(2 if long else 1)]
        family_ar, family_en = rng.choice(FAMILY_NAMES)
        name_ar = " ".join([first_ar, *(ar for ar, _en in parts), family_ar])
        name_en = " ".join([first_en, *(en for _ar, en in parts), family_en])
        return name_ar, name_en, first_en, family_en

    def _mobile(self, rng):
        return (
            f"+966 {rng.choice(MOBILE_PREFIXES)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        )

    def _create_customers(self, rng, plans, batch_size):
        """Create the customers, and an invoicing contact for some
        companies; returns (customer, partner to invoice) in plan order.
        Customers named in Arabic speak Arabic (when it is installed): their
        statements and e-mails are in Arabic."""
        users = self.env["res.users"].search([("share", "=", False)], order="id")
        country = self.env.ref("base.sa", raise_if_not_found=False)
        installed = dict(self.env["res.lang"].get_installed())
        langs = {True: self._arabic_lang(), False: "en_US" if "en_US" in installed else None}
        terms = {
            kind: self.env.ref(profile["payment_term"], raise_if_not_found=False)
            for kind, profile in PROFILES.items()
        }
        vals_list = []
        for plan in plans:
            customer = plan["vals"]
            vals = dict(customer["vals"], country_id=country.id if country else False)
            if langs[customer["arabic"]]:
                vals["lang"] = langs[customer["arabic"]]
            if customer["salesperson"] and users:
                vals["user_id"] = rng.choice(users).id
            if terms[plan["kind"]]:
                vals["property_payment_term_id"] = terms[plan["kind"]].id
            vals_list.append(vals)
        partner_model = self.env["res.partner"]
        partners = partner_model.browse()
        for index in range(0, len(vals_list), batch_size):
            partners += partner_model.create(vals_list[index : index + batch_size])
        contact_vals, contact_of = [], []
        names = set(partners.mapped("name"))
        for index, plan in enumerate(plans):
            if not plan["contact"]:
                continue
            arabic = plan["vals"]["arabic"]
            for draw in range(NAME_DRAWS):
                name_ar, name_en, _first, _family = self._person_name(rng, long=draw > 2)
                if (name_ar if arabic else name_en) not in names:
                    break
            names.add(name_ar if arabic else name_en)
            contact_vals.append(
                {
                    "parent_id": partners[index].id,
                    "type": "invoice",
                    "name": name_ar if arabic else name_en,
                    "lang": langs[arabic] or partners[index].lang,
                    "function": "المحاسب" if arabic else "Accountant",
                    "mobile": self._mobile(rng),
                }
            )
            contact_of.append(index)
        invoice_partners = list(partners)
        for index in range(0, len(contact_vals), batch_size):
            contacts = partner_model.create(contact_vals[index : index + batch_size])
            for contact, plan_index in zip(
                contacts, contact_of[index : index + batch_size], strict=True
            ):
                invoice_partners[plan_index] = contact
        return list(zip(partners, invoice_partners, strict=True))

    # ------------------------------------------------------------------
    # Documents plan
    # ------------------------------------------------------------------

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
