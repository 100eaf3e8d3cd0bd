def migrate(cr, version):
    """Days since the last purchase and days overdue are now derived from
    stored dates; their stored columns are no longer read."""
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE res_partner
            DROP COLUMN IF EXISTS sh_days_since_purchase,
            DROP COLUMN IF EXISTS sh_oldest_overdue_days
        """
    )
