def migrate(cr, version):
    """The KPI cards and the dashboard now sum a narrow copy of six figures
    (sh.customer.figure): copy them from the customers' figures, for each
    company the customer has figures in."""
    if not version:
        return
    cr.execute(
        """
        INSERT INTO sh_customer_figure (
            partner_id, company_id, lifecycle_status, rfm_segment, first_purchase_date,
            net_sales, debt, overdue)
        SELECT partner.id, company.id,
               partner.sh_lifecycle_status ->> company.id::text,
               partner.sh_rfm_segment ->> company.id::text,
               (partner.sh_first_purchase_date ->> company.id::text)::date,
               (partner.sh_net_sales ->> company.id::text)::float8,
               (partner.sh_debt ->> company.id::text)::float8,
               (partner.sh_overdue ->> company.id::text)::float8
          FROM res_partner partner
          JOIN res_company company ON partner.sh_stats_digest ? company.id::text
        ON CONFLICT (partner_id, company_id) DO NOTHING
        """
    )
