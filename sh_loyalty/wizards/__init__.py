from . import sh_loyalty_redeem_wizard
from . import sh_loyalty_adjust_wizard
