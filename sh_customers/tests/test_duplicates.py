"""The duplicate finder: pairs of a company's customers sharing a tax ID, a
phone number or an e-mail, or with alike names across Arabic and Latin
spellings, scored; dismissed pairs stay dismissed; other companies' and
archived customers never pair."""

import random

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..demo.customers import CustomerPlanning
from ..figures import duplicates
from ..tools import identity, trigrams
from .common import ShCustomersCommon


@freeze_time("2026-06-30")
@tagged("post_install", "-at_install")
class TestCustomerDuplicates(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_manager")
        # Only this test's customers: the others stop being customers.
        cls.env["res.partner"].search([("customer_rank", ">", 0)]).customer_rank = 0
        saudi = cls.env.ref("base.sa")
        cls.env.company.country_id = saudi

        def customer(name, **vals):
            vals.setdefault("company_id", cls.env.company.id)
            return cls._customer(name, customer_rank=1, country_id=saudi.id, **vals)

        cls.mohammed = customer("مُحَمَّد أحمـــد", mobile="0501234567")
        cls.mohamed = customer("محمد احمد", phone="+966 50 123 4567")
        cls.garage = customer("Garage Al Amal", vat="300-123-456", email="Info@Amal.sa")
        cls.garage_2 = customer("AL-AMAL GARAGE Co", vat="300123456")
        cls.amal_mail = customer("Amal Workshop", email="info@amal.SA")
        cls.stranger = customer("Khalid Trading")
        cls.other_company = cls._second_company(name="SH Other")
        cls.elsewhere = customer("Khalid Trading", company_id=cls.other_company.id)
        cls.archived = customer("Khalid Trading", active=False)
        cls.manager = cls._company_user("dup_manager", "sh_customers.sh_customers_group_manager")
        cls.sales = cls._sales_user("dup_sales")

    def _pairs(self, state=None):
        domain = [("company_id", "=", self.env.company.id)]
        if state:
            domain.append(("state", "=", state))
        pairs = self.env["sh.customer.duplicate"].search(domain)
        return {frozenset((pair.partner_a_id.name, pair.partner_b_id.name)): pair for pair in pairs}

    def _find(self, user=None):
        Duplicate = self.env["sh.customer.duplicate"].with_user(user or self.manager)
        return Duplicate.with_company(self.env.company)._sh_rebuild(self.env.company)

    def test_pairs_scores_and_reasons(self):
        counts = self._find()
        self.assertEqual(counts, {self.env.company.id: 3})
        pairs = self._pairs()
        self.assertEqual(
            set(pairs),
            {
                frozenset(("مُحَمَّد أحمـــد", "محمد احمد")),
                frozenset(("Garage Al Amal", "AL-AMAL GARAGE Co")),
                frozenset(("Garage Al Amal", "Amal Workshop")),
            },
        )
        # Same number written two ways (mobile of one, phone of the other),
        # and the same name once diacritics, tatweel and hamza are folded:
        # 40 + 1.00 × 30.
        arabic = pairs[frozenset(("مُحَمَّد أحمـــد", "محمد احمد"))]
        self.assertEqual(
            (arabic.match_phone, arabic.match_vat, arabic.name_similarity, arabic.score),
            (True, False, 1.0, 70),
        )
        self.assertEqual(arabic.reasons, "same phone number, names 100% alike")
        self.assertLess(arabic.partner_a_id.id, arabic.partner_b_id.id)
        # The tax ID without its dashes; the names not alike enough to count.
        garage = pairs[frozenset(("Garage Al Amal", "AL-AMAL GARAGE Co"))]
        self.assertTrue(garage.match_vat)
        self.assertEqual(garage.score, 50 + round(30 * garage.name_similarity))
        self.assertTrue(garage.reasons.startswith("same tax ID"))
        mail = pairs[frozenset(("Garage Al Amal", "Amal Workshop"))]
        self.assertEqual((mail.match_email, mail.match_vat, mail.match_phone), (True, False, False))
        self.assertEqual(mail.score, 35 + round(30 * mail.name_similarity))
        # The Khalid Trading of the other company and the archived one never
        # pair with this company's.
        self.assertNotIn("Khalid Trading", {name for pair in pairs for name in pair})

    def test_alike_names_pair_and_brothers_do_not(self):
        """A letter added and words reordered pair by their names alone; the
        same father's and family's names under another first name do not."""
        company = self.env.company
        saad = self._customer("سعد محمد القحطاني", customer_rank=1, company_id=company.id)
        saeed = self._customer("سعيد محمد القحطاني", customer_rank=1, company_id=company.id)
        self._customer("خالد محمد القحطاني", customer_rank=1, company_id=company.id)
        amal = self._customer("Al Amal Garage", customer_rank=1, company_id=company.id)
        # The three pairs of the class's customers, the typo, and Al Amal
        # Garage with both Garage Al Amal and AL-AMAL GARAGE Co.
        self.assertEqual(self._find(), {company.id: 6})
        pairs = self._pairs()
        typo = pairs[frozenset(("سعد محمد القحطاني", "سعيد محمد القحطاني"))]
        self.assertEqual((typo.partner_a_id, typo.partner_b_id), (saad, saeed))
        self.assertEqual(typo.name_similarity, 0.76)
        # round(0.76 × 30) and nothing else shared.
        self.assertEqual(typo.score, 23)
        self.assertEqual(typo.reasons, "names 76% alike")
        reordered = pairs[frozenset(("Garage Al Amal", "Al Amal Garage"))]
        self.assertEqual(reordered.partner_b_id, amal)
        # The same words in another order: the same trigrams.
        self.assertEqual(reordered.name_similarity, 1.0)
        self.assertEqual(reordered.score, 30)
        suffixed = pairs[frozenset(("AL-AMAL GARAGE Co", "Al Amal Garage"))]
        self.assertGreaterEqual(suffixed.name_similarity, 0.75)
        self.assertNotIn("خالد محمد القحطاني", {name for pair in pairs for name in pair})

    def test_dismissed_pairs_stay_dismissed(self):
        self._find()
        arabic = self._pairs()[frozenset(("مُحَمَّد أحمـــد", "محمد احمد"))]
        arabic.with_user(self.manager).action_dismiss()
        self.assertEqual(self._find(), {self.env.company.id: 2})
        self.assertEqual(arabic.state, "dismissed")
        self.assertEqual(set(self._pairs("dismissed")), {frozenset(("مُحَمَّد أحمـــد", "محمد احمد"))})
        # A pair that no longer matches leaves the list on the next run.
        self.amal_mail.email = "workshop@amal.sa"
        self.assertEqual(self._find(), {self.env.company.id: 1})
        self.assertNotIn(frozenset(("Garage Al Amal", "Amal Workshop")), self._pairs())

    def test_other_company_pairs_its_own_customers(self):
        twin = self._customer("Khalid Trading", customer_rank=1, company_id=self.other_company.id)
        self.env["sh.customer.duplicate"]._sh_rebuild(self.other_company)
        pairs = self.env["sh.customer.duplicate"].search(
            [("company_id", "=", self.other_company.id)]
        )
        self.assertEqual(pairs.partner_a_id | pairs.partner_b_id, self.elsewhere | twin)
        # A user of the first company does not see the other company's pairs.
        self._find()
        visible = self.env["sh.customer.duplicate"].with_user(self.manager).search([])
        self.assertEqual(visible.company_id, self.env.company)

    def test_only_managers_find_and_dismiss(self):
        self._find()
        before = {key: pair.state for key, pair in self._pairs().items()}
        Duplicate = self.env["sh.customer.duplicate"].with_user(self.sales)
        message = "Only Customers managers may find and merge duplicate customers."
        with self.assertRaisesRegex(AccessError, message):
            Duplicate.action_find_duplicates()
        with self.assertRaisesRegex(AccessError, message):
            Duplicate.browse(
                self._pairs()[frozenset(("محمد احمد", "مُحَمَّد أحمـــد"))].ids
            ).action_dismiss()
        self.assertEqual({key: pair.state for key, pair in self._pairs().items()}, before)
        # The sales user reads the list.
        self.assertEqual(len(Duplicate.search([])), 3)

    def test_find_action_and_cron(self):
        action = self.env["sh.customer.duplicate"].with_user(self.manager).action_find_duplicates()
        self.assertEqual(action["res_model"], "sh.customer.duplicate")
        self.assertEqual(len(self._pairs()), 3)
        self.env["sh.customer.duplicate"]._cron_sh_find_duplicates()
        self.assertEqual(len(self._pairs()), 3)
        self.assertEqual(
            len(
                self.env["sh.customer.duplicate"].search(
                    [("company_id", "=", self.other_company.id)]
                )
            ),
            0,
        )


@tagged("post_install", "-at_install")
class TestAlikeNames(TransactionCase):
    """The alike names found at once among many (``tools.trigrams``) are
    those PostgreSQL's ``pg_trgm`` finds one name at a time, with the same
    similarities."""

    def _pg_trgm_pairs(self, names):
        """The pairs of ``names`` (indices) that ``pg_trgm``'s ``%`` operator
        pairs at the finder's threshold, with their ``similarity()``."""
        self.env.cr.execute(
            SQL(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                str(duplicates.SIMILARITY_THRESHOLD),
            )
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH names AS (
                    SELECT index - 1 AS index, name
                      FROM unnest(%s::varchar[]) WITH ORDINALITY AS n(name, index)
                )
                SELECT a.index, b.index, similarity(a.name, b.name)
                  FROM names a
                  JOIN names b ON b.index > a.index AND %s
                """,
                names,
                SQL("a.name %% b.name"),
            )
        )
        return {(a, b): alike for a, b, alike in rows}

    def test_same_pairs_as_pg_trgm(self):
        rng = random.Random(7)
        plans = CustomerPlanning()._plan_customers(rng, 1200, 0.5)
        names = sorted({identity.name_key(plan["vals"]["vals"]["name"]) for plan in plans})
        # Short names made of the commonest trigrams, which pair through
        # the common trigrams' masks alone, and a word reordered.
        names += ["ال ال", "ال ال ال", "al amal garage", "garage al amal", "محمد ال"]
        rows = self.env.execute_query(
            SQL("SELECT show_trgm(name) FROM unnest(%s::varchar[]) AS name", names)
        )
        trigram_sets = [row[0] for row in rows]
        expected = self._pg_trgm_pairs(names)
        self.assertGreater(len(expected), 50)
        # Every trigram counted by the masks, none, and the default split.
        for common in (64, 0, 8):
            left, right, alike = trigrams.alike_pairs(
                trigram_sets, duplicates.SIMILARITY_THRESHOLD, common=common
            )
            found = dict(
                zip(zip(left.tolist(), right.tolist(), strict=True), alike.tolist(), strict=True)
            )
            self.assertEqual(set(found), set(expected), f"common trigrams: {common}")
            for pair, similarity in expected.items():
                self.assertAlmostEqual(found[pair], similarity, places=6, msg=str(pair))

    def test_fewer_than_two_names(self):
        for trigram_sets in ([], [["  a", " ab", "ab "]]):
            left, right, alike = trigrams.alike_pairs(trigram_sets, 0.75)
            self.assertEqual((len(left), len(right), len(alike)), (0, 0, 0))
