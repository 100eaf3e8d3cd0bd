from . import sh_customer_clv
