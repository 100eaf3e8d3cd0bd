from . import sh_customer_interaction
