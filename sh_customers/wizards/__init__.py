from . import sh_customer_merge_wizard
from . import sh_customer_merge_wizard_line
