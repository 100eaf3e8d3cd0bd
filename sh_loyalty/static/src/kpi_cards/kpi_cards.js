import {_t} from "@web/core/l10n/translation";
import {patch} from "@web/core/utils/patch";
import {formatInteger} from "@web/views/fields/formatters";
import {CustomerKpiCards} from "@sh_customers/kpi_cards/kpi_cards";

/**
 * A loyalty card among the customer KPI cards: the customers of the two
 * highest tiers, with the count per tier below; a click filters on them.
 */
patch(CustomerKpiCards.prototype, {
    get cards() {
        const cards = super.cards;
        const kpis = this.state.kpis;
        if (!kpis.loyalty_tiers) {
            return cards;
        }
        const topNames = kpis.loyalty_tiers
            .filter((tier) => kpis.loyalty_top_tier_ids.includes(tier.id))
            .map((tier) => tier.name)
            .join(", ");
        const card = {
            name: "loyalty_top_tiers",
            icon: "fa-trophy",
            label: _t("Top Tiers"),
            note: kpis.loyalty_tiers
                .map((tier) => `${tier.name} ${formatInteger(tier.count)}`)
                .join(" · "),
            value: kpis.loyalty_top_tiers,
            display: formatInteger(kpis.loyalty_top_tiers),
            help: _t(
                "Customers in the loyalty tiers %(tiers)s, out of %(members)s members. Tiers follow rolling 12-month net sales.",
                {tiers: topNames, members: formatInteger(kpis.loyalty_members)}
            ),
            facet: {
                description: _t("Tier: %(tiers)s", {tiers: topNames}),
                domain: JSON.stringify([
                    ["sh_loyalty_tier_id", "in", kpis.loyalty_top_tier_ids],
                ]),
            },
        };
        card.clickable = true;
        card.active = this.isFilterActive(card);
        card.className = [
            "o_sh_kpi_clickable",
            card.active && "o_sh_kpi_active border-primary",
        ]
            .filter(Boolean)
            .join(" ");
        card.help = `${card.help}\n${_t(
            "Click to filter the list on these customers."
        )}`;
        cards.push(card);
        return cards;
    },
});
