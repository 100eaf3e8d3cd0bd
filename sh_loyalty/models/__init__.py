from . import sh_loyalty_tier
from . import sh_loyalty_lot
from . import loyalty_program
from . import loyalty_reward
from . import loyalty_history
from . import loyalty_card
from . import account_move
from . import res_partner
