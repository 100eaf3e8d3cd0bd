from . import customer_statement
from . import customer_list
from . import customer_list_xlsx
from . import ir_actions_report
from . import customer_import_xlsx
