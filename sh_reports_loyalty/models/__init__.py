from . import sh_loyalty_tier_change
from . import loyalty_card
from . import sh_report_loyalty
