from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The bridges between the addons (sh_interactions_loyalty,
    sh_reports_loyalty, sh_reports_interactions, ...) came after some
    databases were made: Odoo installs a bridge by itself only when one of
    its addons is being installed, never on an upgrade. Install those whose
    addons are all installed, as if the addons were installed now; Odoo
    loads them in the same upgrade."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    bridges = env["ir.module.module"].search(
        [("name", "=like", "sh\\_%"), ("auto_install", "=", True), ("state", "=", "uninstalled")]
    )
    ready = bridges.filtered(
        lambda bridge: all(
            dependency.state in ("installed", "to upgrade")
            for dependency in bridge.dependencies_id
            if dependency.auto_install_required
        )
    )
    ready.button_install()
