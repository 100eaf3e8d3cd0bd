"""The daily run of the customers' programs: points expiry, the tier
review and the warnings of expiring points, set-based and in batches."""

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..figures import point_totals, tier_totals


class LoyaltyCard(models.Model):
    # One concern of loyalty.card per file: see the list in loyalty_card.py.
    _inherit = "loyalty.card"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sh_expire_and_review(self, card_ids, today):
        """Expire the lots due on ``today`` and review the tiers of the
        given cards, set-based: a handful of statements whatever the number
        of cards. Returns ``(points expired, tier changes)``."""
        if not card_ids:
            return 0.0, 0
        expired = self._sh_expire_lots(card_ids, today)
        changes = self._sh_review_tiers(card_ids, today)
        return expired, changes

    @api.model
    def _sh_expire_lots(self, card_ids, today):
        """Expire the lots of ``card_ids`` due on ``today``: what they still
        hold leaves the balance, with one history line per card. Returns the
        points expired."""
        self._sh_flush_ledger()
        user = self.env.user.id
        cards = tuple(card_ids)
        [(expired, lot_ids, expired_card_ids)] = self.env.execute_query(
            SQL(
                """
                WITH due AS (
                    SELECT lot.id, lot.card_id, lot.remaining
                      FROM sh_loyalty_lot lot
                     WHERE lot.card_id IN %(cards)s
                       AND lot.remaining > 0
                       AND lot.expiry_date <= %(today)s
                       FOR UPDATE
                ), lots AS (
                    UPDATE sh_loyalty_lot lot
                       SET remaining = 0, write_date = NOW() AT TIME ZONE 'UTC',
                           write_uid = %(user)s
                      FROM due WHERE lot.id = due.id
                ), per_card AS (
                    SELECT card_id, SUM(remaining) AS points FROM due GROUP BY card_id
                ), upd AS (
                    UPDATE loyalty_card c SET points = c.points - per_card.points,
                           write_date = NOW() AT TIME ZONE 'UTC', write_uid = %(user)s
                      FROM per_card WHERE c.id = per_card.card_id
                 RETURNING c.id, c.partner_id, c.program_id, per_card.points
                ), ins AS (
                    INSERT INTO loyalty_history (card_id, description, issued, used, sh_points,
                                                 sh_reason, sh_date, sh_user_id, sh_partner_id,
                                                 sh_program_id, create_uid, create_date,
                                                 write_uid, write_date)
                    SELECT upd.id, %(description)s, 0, upd.points, -upd.points, 'expire',
                           %(today)s, %(user)s, upd.partner_id, upd.program_id, %(user)s,
                           NOW() AT TIME ZONE 'UTC', %(user)s, NOW() AT TIME ZONE 'UTC'
                      FROM upd
                 RETURNING used
                )
                SELECT (SELECT COALESCE(SUM(used), 0) FROM ins),
                       ARRAY(SELECT id FROM due), ARRAY(SELECT card_id FROM per_card)
                """,
                cards=cards,
                today=today,
                user=user,
                description=_("Points expired"),
            )
        )
        self.env["sh.loyalty.lot"].browse(lot_ids).invalidate_recordset(
            ["remaining", "write_date", "write_uid"]
        )
        self.browse(expired_card_ids)._sh_invalidate_ledger(["points", "write_date", "write_uid"])
        return expired

    @api.model
    def _sh_review_tiers(self, card_ids, today):
        """Review the tiers of ``card_ids`` on ``today``: upgrade at once to
        the tier that the qualifying value gives (the tier rule,
        ``sh.loyalty.tier._sh_reached_sql``), lower one level once the
        program's grace period has passed below the tier's threshold.
        Returns the number of tier changes."""
        self._sh_flush_ledger()
        cards = tuple(card_ids)
        rows = self.env.execute_query(
            SQL(
                """
                WITH q AS (%(qualifying)s),
                d AS (
                    SELECT c.id, c.sh_tier_id AS old_tier, q.value, c.sh_downgrade_pending_since,
                           p.sh_tier_grace_days AS grace, cur.threshold AS cur_thr,
                           q.tier_id AS target_id, q.tier_threshold AS target_thr,
                           lower_tier.id AS lower_id, lower_tier.threshold AS lower_thr
                      FROM loyalty_card c
                      JOIN q ON q.card_id = c.id
                      JOIN loyalty_program p ON p.id = c.program_id
                      LEFT JOIN sh_loyalty_tier cur ON cur.id = c.sh_tier_id
                      LEFT JOIN LATERAL (
                            SELECT t.id, t.threshold FROM sh_loyalty_tier t
                             WHERE t.program_id = c.program_id AND t.active
                               AND t.threshold < cur.threshold
                             ORDER BY t.threshold DESC, t.sequence, t.id LIMIT 1
                      ) lower_tier ON TRUE
                ),
                decided AS (
                    SELECT d.*,
                           CASE
                             WHEN d.target_id IS NOT NULL
                                  AND (d.cur_thr IS NULL OR d.target_thr > d.cur_thr)
                               THEN d.target_id
                             WHEN d.target_thr < d.cur_thr AND d.lower_id IS NOT NULL
                                  AND d.sh_downgrade_pending_since IS NOT NULL
                                  AND d.sh_downgrade_pending_since + d.grace <= %(today)s
                               THEN d.lower_id
                             ELSE d.old_tier
                           END AS new_tier
                      FROM d
                ),
                upd AS (
                    UPDATE loyalty_card c
                       SET sh_qualifying_value = decided.value,
                           sh_tier_id = decided.new_tier,
                           sh_tier_since = CASE
                               WHEN decided.new_tier IS DISTINCT FROM decided.old_tier
                                   THEN %(today)s
                               ELSE c.sh_tier_since
                           END,
                           sh_downgrade_pending_since = CASE
                               WHEN decided.new_tier IS DISTINCT FROM decided.old_tier
                                   THEN CASE WHEN decided.target_thr < decided.lower_thr
                                             THEN %(today)s END
                               WHEN decided.target_thr < decided.cur_thr
                                   THEN COALESCE(c.sh_downgrade_pending_since, %(today)s)
                           END
                      FROM decided
                     WHERE c.id = decided.id
                       AND (c.sh_qualifying_value IS DISTINCT FROM decided.value
                            OR decided.new_tier IS DISTINCT FROM decided.old_tier
                            OR (decided.target_thr < decided.cur_thr)
                               IS DISTINCT FROM (c.sh_downgrade_pending_since IS NOT NULL))
                 RETURNING c.id, decided.old_tier, decided.new_tier
                )
                SELECT id, old_tier, new_tier FROM upd
                """,
                qualifying=self._sh_qualifying_sql(today, cards),
                today=today,
            )
        )
        self.browse([row[0] for row in rows])._sh_invalidate_tiers()
        changes = [row for row in rows if row[1] != row[2]]
        self._sh_after_tier_change(changes)
        return len(changes)

    @api.model
    def _sh_warn_expiring(self, card_ids, today):
        """E-mail the customers whose points expire within the program's
        warning period, once per lot. Returns the number of cards warned.
        With the context key ``sh_loyalty_no_notify`` (enrolment) the lots
        are marked as warned and nobody is e-mailed: points a customer
        brought into the program that expire within days are not news to
        send on the program's first day."""
        if not card_ids:
            return 0
        self._sh_flush_ledger()
        self.env["res.partner"].flush_model(["email"])
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE sh_loyalty_lot lot SET warned = TRUE
                  FROM loyalty_card c
                  JOIN loyalty_program p ON p.id = c.program_id
                  JOIN res_partner partner ON partner.id = c.partner_id
                 WHERE lot.card_id = c.id
                   AND c.id IN %(cards)s
                   AND lot.remaining > 0
                   AND NOT COALESCE(lot.warned, FALSE)
                   AND lot.expiry_date > %(today)s
                   AND lot.expiry_date <= %(today)s + p.sh_expiry_warning_days
                   AND partner.email IS NOT NULL AND partner.email != ''
             RETURNING lot.id, c.id
                """,
                cards=tuple(card_ids),
                today=today,
            )
        )
        self.env["sh.loyalty.lot"].browse([row[0] for row in rows]).invalidate_recordset(["warned"])
        card_ids = sorted({row[1] for row in rows})
        template = self.env.ref(
            "sh_loyalty.mail_template_sh_points_expiring", raise_if_not_found=False
        )
        if template and card_ids and not self.env.context.get("sh_loyalty_no_notify"):
            template.send_mail_batch(card_ids)
        return len(card_ids)

    @api.model
    def _cron_sh_loyalty_daily(self, batch_size=20000):
        """Daily: expire lots, review tiers and warn of expiring points for
        the members of the customers' programs, in batches of cards; each
        batch is committed by the scheduler. Once the last batch is done,
        count the customers per tier and the members' points again
        (``figures.tier_totals``, ``figures.point_totals``), which folds the
        day's rows of changes."""
        today = fields.Date.context_today(self)
        params = self.env["ir.config_parameter"].sudo()  # sudo: the batch cursor is technical
        start = int(params.get_param("sh_loyalty.daily_cursor", 0) or 0)
        domain = [("program_id.sh_is_customer_program", "=", True)]
        batch = self.search(domain + [("id", ">", start)], order="id", limit=batch_size)
        remaining = self.search_count(domain + [("id", ">", batch.ids[-1])]) if batch else 0
        self._sh_expire_and_review(batch.ids, today)
        self._sh_warn_expiring(batch.ids, today)
        params.set_param("sh_loyalty.daily_cursor", batch.ids[-1] if remaining else 0)
        if not remaining:
            self.env.flush_all()
            tier_totals.rebuild(self.env.cr)
            point_totals.rebuild(self.env.cr)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
