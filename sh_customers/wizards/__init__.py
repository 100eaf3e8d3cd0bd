from . import sh_customer_archive_wizard
from . import sh_customer_import_wizard
from . import sh_customer_import_wizard_column
from . import sh_customer_import_wizard_line
from . import sh_customer_merge_wizard
from . import sh_customer_merge_wizard_line
