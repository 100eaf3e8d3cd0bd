from . import sh_loyalty_card_wizard_mixin
from . import sh_loyalty_redeem_wizard
from . import sh_loyalty_adjust_wizard
