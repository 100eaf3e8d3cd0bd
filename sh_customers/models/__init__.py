from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move
from . import account_partial_reconcile
from . import demo_generator
from . import sh_customer_dashboard
