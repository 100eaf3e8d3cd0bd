from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = [
    "sh_customers",
    "sh_loyalty",
    "sh_interactions",
    "sh_reports",
    "sh_interactions_loyalty",
    "sh_reports_loyalty",
    "sh_reports_interactions",
]


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_has_an_arabic_translation(self):
        """Every translatable term of the installed addons (fields, views,
        menus, reports, Python and JavaScript strings) is in i18n/ar.po."""
        installed = self.env["ir.module.module"].search(
            [("name", "in", ADDONS), ("state", "=", "installed")]
        )
        for addon in installed.mapped("name"):
            terms = {
                source
                for _module, _type, _name, _res_id, source, _value, _comments in (
                    TranslationModuleReader(self.cr, modules=[addon])
                )
                if source
            }
            if not terms:
                continue
            po_path = Path(get_module_path(addon)) / "i18n" / "ar.po"
            self.assertTrue(po_path.exists(), f"{addon} has no i18n/ar.po")
            translated = {entry.msgid for entry in polib.pofile(str(po_path)) if entry.msgstr}
            missing = sorted(terms - translated)
            self.assertFalse(
                missing, f"{addon}: {len(missing)} terms without Arabic, e.g. {missing[:15]}"
            )
