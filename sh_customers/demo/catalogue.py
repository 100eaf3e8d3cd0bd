"""What the demo retailer sells and who buys from it: product categories
and products with their prices in Saudi riyals, the four kinds of customers
and how each buys and pays, the names, cities and phone numbers customers
are made of, and the retailer's own company. Plain data, read by the demo
generator (generator.py and the files it is made of)."""

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
