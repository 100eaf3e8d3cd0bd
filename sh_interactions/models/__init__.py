from . import sh_customer_record_mixin
from . import sh_customer_interaction
from . import sh_customer_task
from . import sh_communication_template
from . import mail_activity
from . import res_partner
from . import sh_customer_api
from . import sh_customer_dashboard
