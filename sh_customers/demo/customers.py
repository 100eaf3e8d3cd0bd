"""The demo customers: who they are (kind, name in Arabic or English,
city, phone, payment terms, credit limit), how often each buys and how each
pays, and their creation with their contacts. Part of the demo generator
(generator.py)."""

from .catalogue import (
    BUSINESS_NAMES,
    BUSINESS_ROOTS,
    CHURN_SHARE,
    CITIES,
    CITY_WEIGHTS,
    EXISTING_SHARE,
    FAMILY_NAMES,
    FIRST_NAMES,
    MAIL_DOMAINS,
    MOBILE_PREFIXES,
    NAME_DRAWS,
    PROFILES,
    PROSPECT_SHARE,
)


class CustomerPlanning:
    """Plans and creates the customers; mixed into
    :class:`~.generator.CustomerDemoGenerator`."""

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
