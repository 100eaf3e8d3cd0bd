def migrate(cr, version):
    """The trigram index on the customers' folded names: the duplicate
    finder no longer probes it (see figures/duplicates.py), and keeping it
    up to date cost every change of a customer's name."""
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS res_partner_sh_name_key_trgm_index")
