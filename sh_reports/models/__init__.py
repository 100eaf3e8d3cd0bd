from . import res_users
from . import sh_customer_clv
from . import sh_report
from . import sh_report_analytics
from . import sh_report_clv
from . import sh_report_debt
from . import sh_report_monthly_mail
from . import sh_report_sales
