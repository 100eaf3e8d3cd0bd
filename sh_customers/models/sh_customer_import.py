"""The bulk import of customers, shared by the import wizard and
``POST /api/customers/import/``: rows of plain values by field name, each
checked and normalised, matched in one statement with the existing
customers of the company on their stored keys (``res_partner_identity``),
then written set-based: one ``create()`` for the new customers, one
``write()`` per set of identical changes.

Every row gets an outcome: ``created``, ``updated`` (matched with an
existing customer), ``skipped`` (matched, and the user chose to skip the
matches) or ``rejected`` with its reasons. A dry run writes nothing."""

from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..api.checks import CONTROL_RE
from ..figures.rules import CUSTOMER_TYPES
from ..tools import identity

# The columns of the import, in the order of its layout: the export for
# re-import (``report/customer_import_xlsx``) writes them, under these
# names, and the wizard maps a file's columns onto them.
IMPORT_FIELDS = (
    "sh_customer_code",
    "name",
    "sh_customer_type",
    "mobile",
    "phone",
    "email",
    "vat",
    "user_id",
    "street",
    "city",
    "zip",
    "country_id",
)
# The keys an existing customer is matched on, strongest first: the row's
# normalised value and the res.partner column holding the same key.
MATCH_KEYS = (
    ("sh_customer_code", "sh_customer_code"),
    ("vat", "sh_vat_key"),
    ("mobile", "sh_mobile_key"),
    ("email", "sh_email_key"),
)
MODES = ("all_or_nothing", "valid_only")
ON_MATCH = ("update", "skip")
MAX_LENGTH = 256


class ShCustomerImport(models.AbstractModel):
    _name = "sh.customer.import"
    _description = "Customer Import"

    @api.model
    def _sh_import_check_user(self):
        if not self.env.user.has_group("sh_customers.sh_customers_group_manager"):
            raise AccessError(self.env._("Only Customers managers may import customers."))

    @api.model
    def _sh_import_labels(self):
        """The name of each import column in the user's language, for the
        reasons of a rejected row."""
        descriptions = self.env["res.partner"].fields_get(list(IMPORT_FIELDS), ["string"])
        return {fname: descriptions[fname]["string"] for fname in IMPORT_FIELDS}

    @api.model
    def _sh_import_rows(
        self, rows, dry_run=True, mode="all_or_nothing", on_match="update", first_row=1
    ):
        """Import ``rows`` (a list of dicts by field name of
        ``IMPORT_FIELDS``, values as text) into the current company's
        customers and return, per row, ``{"row", "outcome", "reasons",
        "id"}`` with the counts.

        ``mode``: ``all_or_nothing`` writes nothing when a row is rejected,
        ``valid_only`` writes the other rows. ``on_match``: a row matching
        an existing customer (customer code, tax ID, mobile or e-mail)
        ``update``\\ s it with the row's non-empty values, or is ``skip``\\ ped.
        ``first_row``: the number of the first row in the user's file."""
        self._sh_import_check_user()
        if mode not in MODES:
            raise UserError(self.env._("Unknown import mode: %(mode)s.", mode=str(mode)[:40]))
        if on_match not in ON_MATCH:
            raise UserError(
                self.env._("Unknown choice for matches: %(value)s.", value=str(on_match)[:40])
            )
        if not isinstance(rows, list):
            raise UserError(self.env._("The rows must be a list."))
        if not rows:
            raise UserError(self.env._("There is no row to import."))
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                raise UserError(
                    self.env._("Row %(row)s is not a set of columns.", row=first_row + index)
                )
            unknown = sorted(set(row) - set(IMPORT_FIELDS), key=str)
            if unknown:
                raise UserError(
                    self.env._(
                        "Row %(row)s has unknown columns: %(names)s. The columns are: %(columns)s.",
                        row=first_row + index,
                        names=", ".join(map(str, unknown))[:200],
                        columns=", ".join(IMPORT_FIELDS),
                    )
                )
        results = [
            {"row": first_row + index, "outcome": None, "reasons": [], "id": None}
            for index in range(len(rows))
        ]
        if not dry_run:
            self._sh_import_serialize()
        checked = self._sh_import_check_rows(rows, results)
        self._sh_import_find_duplicates(checked, results)
        matches = self._sh_import_match(checked, results)
        creates, updates = [], {}
        for index, (result, vals) in enumerate(zip(results, checked, strict=True)):
            if result["reasons"]:
                result["outcome"] = "rejected"
            elif index in matches:
                result["outcome"] = "updated" if on_match == "update" else "skipped"
                result["id"] = matches[index]
                if on_match == "update":
                    updates[index] = vals
            else:
                result["outcome"] = "created"
                creates.append(index)
        rejected = sum(result["outcome"] == "rejected" for result in results)
        applied = not dry_run and not (mode == "all_or_nothing" and rejected)
        if applied:
            self._sh_import_write(checked, results, creates, updates)
        counts = dict.fromkeys(("created", "updated", "skipped", "rejected"), 0)
        for result in results:
            counts[result["outcome"]] += 1
        return {
            "dry_run": bool(dry_run),
            "mode": mode,
            "on_match": on_match,
            "applied": applied,
            "counts": counts,
            "rows": results,
            "created_ids": [results[index]["id"] for index in creates] if applied else [],
            "updated_ids": [results[index]["id"] for index in updates] if applied else [],
        }

    @api.model
    def _sh_import_serialize(self):
        """One import into a company at a time, each seeing the customers
        the one before created: every import writes its company's row, so
        that an import waits for another one still running, and fails with
        a serialization error (which Odoo answers by running the request
        again, on fresh data) when another one committed since its
        transaction began. Without it, two imports of one file at once
        would both create its customers."""
        company = self.env.company
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET sh_customer_import_count ="
                " COALESCE(sh_customer_import_count, 0) + 1 WHERE id = %s",
                company.id,
            )
        )
        company.invalidate_recordset(["sh_customer_import_count"])

    # ------------------------------------------------------------------
    # Checks of each row
    # ------------------------------------------------------------------

    @api.model
    def _sh_import_lookups(self):
        """What the values of a row are read against: customer types by key
        and label, the company's users by login and name, countries by code
        and name (in English and in the user's language)."""
        type_labels = dict(
            self.env["res.partner"]._fields["sh_customer_type"]._description_selection(self.env)
        )
        types = {}
        for key, label in CUSTOMER_TYPES:
            for text in (key, label, type_labels.get(key)):
                if text:
                    types[text.casefold()] = key
        company = self.env.company
        users_by_login, users_by_name = {}, defaultdict(set)
        # sudo: the salesperson is looked up by login among the company's
        # internal users, which a manager may pick in the form anyway.
        users = (
            self.env["res.users"]
            .sudo()
            .search_fetch(
                [("share", "=", False), ("company_ids", "in", company.ids)], ["login", "name"]
            )
        )
        for user in users:
            users_by_login[user.login.casefold()] = user.id
            users_by_name[user.name.casefold()].add(user.id)
        countries = {}
        Country = self.env["res.country"]
        for lang in {"en_US", self.env.lang or "en_US"}:
            for country in Country.with_context(lang=lang).search_fetch([], ["code", "name"]):
                countries[country.name.casefold()] = country
                countries[country.code.casefold()] = country
        return {
            "types": types,
            "type_names": ", ".join(label for __, label in type_labels.items()),
            "users_by_login": users_by_login,
            "users_by_name": users_by_name,
            "countries": countries,
            "company_country": company.country_id,
        }

    @api.model
    def _sh_import_check_rows(self, rows, results):
        """Each row's values checked and normalised: the vals of the
        customer (only the columns the row fills) and its match keys under
        ``"_keys"``; each problem appended to the row's reasons."""
        env = self.env
        lookups = self._sh_import_lookups()
        labels = self._sh_import_labels()
        checked = []
        for row, result in zip(rows, results, strict=True):
            reasons = result["reasons"]
            texts = {}
            for fname in IMPORT_FIELDS:
                value = row.get(fname)
                if value is None or value is False:
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    value = str(int(value)) if value == int(value) else str(value)
                if not isinstance(value, str):
                    reasons.append(
                        env._("%(column)s must be text.", column=labels[fname]),
                    )
                    continue
                value = " ".join(value.split()) if fname == "name" else value.strip()
                if CONTROL_RE.search(value):
                    reasons.append(
                        env._(
                            "%(column)s contains a character that is not allowed.",
                            column=labels[fname],
                        )
                    )
                    continue
                if len(value) > MAX_LENGTH:
                    reasons.append(
                        env._(
                            "%(column)s is too long: at most %(max)s characters.",
                            column=labels[fname],
                            max=MAX_LENGTH,
                        )
                    )
                    continue
                if value:
                    texts[fname] = value
            checked.append(self._sh_import_check_values(texts, reasons, lookups))
        return checked

    @api.model
    def _sh_import_check_values(self, texts, reasons, lookups):
        """The vals of one row's non-empty ``texts`` and its match keys
        under ``"_keys"``; each problem appended to ``reasons``."""
        vals = {}
        if "name" not in texts:
            reasons.append(self.env._("The name is missing."))
        else:
            # Names are kept as written.
            vals["name"] = texts["name"]
        for fname in ("sh_customer_code", "street", "city", "zip"):
            if fname in texts:
                vals[fname] = texts[fname]
        country = self._sh_import_check_choices(texts, vals, reasons, lookups)
        self._sh_import_check_contacts(texts, vals, reasons, country)
        vals["_keys"] = {fname: vals[fname] for fname, _column in MATCH_KEYS if vals.get(fname)}
        return vals

    @api.model
    def _sh_import_check_choices(self, texts, vals, reasons, lookups):
        """The customer type, the salesperson and the country of a row, read
        against ``lookups``; returns the row's country (the company's when
        the row names none)."""
        env = self.env
        if "sh_customer_type" in texts:
            key = lookups["types"].get(texts["sh_customer_type"].casefold())
            if key:
                vals["sh_customer_type"] = key
            else:
                reasons.append(
                    env._(
                        'Unknown customer type "%(value)s": use one of %(types)s.',
                        value=texts["sh_customer_type"],
                        types=lookups["type_names"],
                    )
                )
        if "user_id" in texts:
            text = texts["user_id"].casefold()
            by_name = lookups["users_by_name"].get(text, ())
            user_id = lookups["users_by_login"].get(text)
            if not user_id and len(by_name) == 1:
                user_id = next(iter(by_name))
            if user_id:
                vals["user_id"] = user_id
            elif by_name:
                reasons.append(
                    env._(
                        'Several users are called "%(value)s": give the login.',
                        value=texts["user_id"],
                    )
                )
            else:
                reasons.append(
                    env._(
                        'Unknown salesperson "%(value)s": give the login of a user of the company.',
                        value=texts["user_id"],
                    )
                )
        country = lookups["company_country"]
        if "country_id" in texts:
            found = lookups["countries"].get(texts["country_id"].casefold())
            if found:
                vals["country_id"], country = found.id, found
            else:
                reasons.append(env._('Unknown country "%(value)s".', value=texts["country_id"]))
        return country

    @api.model
    def _sh_import_check_contacts(self, texts, vals, reasons, country):
        """The mobile and phone as E.164 (read with ``country``'s rules),
        the e-mail normalised, the tax ID normalised and checked."""
        env = self.env
        for fname in ("mobile", "phone"):
            if fname not in texts:
                continue
            try:
                vals[fname] = identity.phone_key(texts[fname], country.code)
            except ValueError:
                if fname == "mobile":
                    message = env._(
                        'The mobile "%(value)s" is not a valid number.', value=texts[fname]
                    )
                else:
                    message = env._(
                        'The phone "%(value)s" is not a valid number.', value=texts[fname]
                    )
                reasons.append(message)
        if "email" in texts:
            email = identity.email_key(texts["email"])
            if email:
                vals["email"] = email
            else:
                reasons.append(
                    env._('The e-mail "%(value)s" is not a valid address.', value=texts["email"])
                )
        if "vat" in texts:
            vat = identity.vat_key(texts["vat"])
            # Checked with the country's rules where Odoo's base_vat is
            # installed (it overrides account's test, which accepts all).
            if country and self.env["res.partner"]._run_vat_test(vat, country, True) is False:
                reasons.append(
                    env._(
                        'The tax ID "%(value)s" is not valid in %(country)s.',
                        value=texts["vat"],
                        country=country.name,
                    )
                )
            else:
                vals["vat"] = vat

    @api.model
    def _sh_import_find_duplicates(self, checked, results):
        """A row holding the customer code, tax ID, mobile or e-mail of an
        earlier row of the file is rejected as its duplicate."""
        labels = self._sh_import_labels()
        first_rows = {}
        for vals, result in zip(checked, results, strict=True):
            for fname, _column in MATCH_KEYS:
                key = vals["_keys"].get(fname)
                if not key:
                    continue
                first = first_rows.setdefault((fname, key), result["row"])
                if first != result["row"]:
                    result["reasons"].append(
                        self.env._(
                            "Duplicate of row %(row)s (same %(column)s).",
                            row=first,
                            column=labels[fname],
                        )
                    )

    # ------------------------------------------------------------------
    # Matching with the existing customers
    # ------------------------------------------------------------------

    @api.model
    def _sh_import_match(self, checked, results):
        """``{row index: customer id}`` of the rows matching one existing
        customer of the company, found in one statement on the stored keys;
        a row matching several customers, or a customer matched by an
        earlier row, is rejected."""
        Partner = self.env["res.partner"]
        company = self.env.company
        arrays = {fname: [] for fname, _column in MATCH_KEYS}
        indexes = []
        for index, vals in enumerate(checked):
            if not vals["_keys"]:
                continue
            indexes.append(index)
            for fname, _column in MATCH_KEYS:
                arrays[fname].append(vals["_keys"].get(fname))
        if not indexes:
            return {}
        Partner.flush_model(["sh_customer_code", *(column for _f, column in MATCH_KEYS)])
        # The company's customers that the user sees, record rules included;
        # archived ones too, so that a row does not make one again.
        customers = Partner.with_context(active_test=False)._search(
            [("parent_id", "=", False), ("company_id", "in", [False, company.id])]
        )
        joins = SQL(" UNION ALL ").join(
            SQL(
                """SELECT keys.idx, %(name)s, partner.id
                     FROM keys JOIN res_partner partner ON partner.%(column)s = keys.%(key)s
                    WHERE partner.id IN (SELECT id FROM customers)""",
                name=fname,
                column=SQL.identifier(column),
                key=SQL.identifier(fname),
            )
            for fname, column in MATCH_KEYS
        )
        found = self.env.execute_query(
            SQL(
                """
                WITH keys AS (
                    SELECT * FROM unnest(%(indexes)s::int[], %(codes)s::varchar[],
                                         %(vats)s::varchar[], %(mobiles)s::varchar[],
                                         %(emails)s::varchar[])
                           AS keys(idx, sh_customer_code, vat, mobile, email)
                ), customers AS (%(customers)s)
                %(joins)s
                """,
                indexes=indexes,
                codes=arrays["sh_customer_code"],
                vats=arrays["vat"],
                mobiles=arrays["mobile"],
                emails=arrays["email"],
                customers=customers.select(),
                joins=joins,
            )
        )
        by_row = defaultdict(dict)
        for index, fname, partner_id in found:
            by_row[index].setdefault(partner_id, fname)
        partners = Partner.browse({pid for ids in by_row.values() for pid in ids})
        names = {
            partner.id: partner.display_name for partner in partners.with_context(active_test=False)
        }
        labels = self._sh_import_labels()
        matches, first_rows = {}, {}
        for index in sorted(by_row):
            result = results[index]
            partners = by_row[index]
            if len(partners) > 1:
                result["reasons"].append(
                    self.env._(
                        "Matches several customers: %(customers)s.",
                        customers=", ".join(
                            f"{names[pid]} ({labels[fname]})" for pid, fname in partners.items()
                        ),
                    )
                )
                continue
            partner_id = next(iter(partners))
            first = first_rows.setdefault(partner_id, result["row"])
            if first != result["row"]:
                result["reasons"].append(
                    self.env._(
                        "Duplicate of row %(row)s: both match the customer %(customer)s.",
                        row=first,
                        customer=names[partner_id],
                    )
                )
                continue
            matches[index] = partner_id
        return matches

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    @api.model
    def _sh_import_codes(self, count):
        """``count`` new customer codes from the customer code sequence, as
        ``ir.sequence.next_by_code`` gives them, drawn in one statement when
        the sequence is PostgreSQL's."""
        if not count:
            return []
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "sh.customer.code"), ("company_id", "in", [self.env.company.id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence or sequence.implementation != "standard" or sequence.use_date_range:
            return [self.env["ir.sequence"].next_by_code("sh.customer.code") for __ in range(count)]
        numbers = self.env.execute_query(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [sequence.get_next_char(number) for (number,) in numbers]

    @api.model
    def _sh_import_write(self, checked, results, creates, updates):
        """Create the new customers in one call and write the changes of the
        matched ones, one call per set of identical changes; the ids go in
        the rows' results."""
        Partner = self.env["res.partner"].with_context(
            # One message per customer would double the import's time; the
            # import itself is the customer's origin.
            mail_create_nolog=True,
            tracking_disable=True,
        )
        # What every new customer shares, computed once rather than per row
        # by create() (some defaults run a query each).
        defaults = {**Partner.default_get(list(Partner._fields)), "customer_rank": 1}
        codes = iter(
            self._sh_import_codes(
                sum(not checked[index].get("sh_customer_code") for index in creates)
            )
        )
        vals_list = []
        for index in creates:
            vals = {key: value for key, value in checked[index].items() if key != "_keys"}
            if not vals.get("sh_customer_code"):
                vals["sh_customer_code"] = next(codes)
            vals_list.append({**defaults, **vals})
        partners = Partner.create(vals_list)
        for index, partner in zip(creates, partners, strict=True):
            results[index]["id"] = partner.id
        if not updates:
            return
        fnames = sorted({key for vals in updates.values() for key in vals if key != "_keys"})
        existing = Partner.browse([results[index]["id"] for index in updates])
        existing.fetch(fnames)
        groups = defaultdict(list)
        for index, vals in updates.items():
            partner = existing.browse(results[index]["id"])
            changes = {}
            for fname, value in vals.items():
                if fname == "_keys":
                    continue
                current = partner[fname]
                current = current.id if isinstance(current, models.BaseModel) else current
                # A customer's code, once given, is kept: other systems
                # know the customer by it.
                if fname == "sh_customer_code" and current:
                    continue
                if current != value:
                    changes[fname] = value
            if changes:
                groups[tuple(sorted(changes.items()))].append(partner.id)
        for changes, partner_ids in groups.items():
            Partner.browse(partner_ids).write(dict(changes))
