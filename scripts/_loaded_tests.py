"""Run Odoo tests chosen by test tags on a database whose modules are all
installed already, with every module loaded, whatever the tests' position.

Odoo runs a module's at_install tests as soon as that module is installed,
before the modules that depend on it: base's partner tests never meet what
our addons add to res.partner, nor do the tests of OCA's report_xlsx and
date_range meet our addons. This loads the whole registry first, then runs
the tests the tags choose (``/module:Class.method``, ``-`` to leave one out),
as Odoo runs post_install tests, and logs Odoo's result line
(``odoo.tests.result: N failed, M error(s) of K tests``). It starts no HTTP
server: HttpCase tests are refused.

    python scripts/_loaded_tests.py --tags=/base:TestPartner,... -- <odoo-bin options>
"""

import sys
import threading

import odoo
from odoo.tools import config


def main(argv):
    tags = next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--tags=")), "")
    odoo_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    if not tags:
        sys.exit("usage: _loaded_tests.py --tags=/module:Class[,...] -- <odoo-bin options>")
    # Without test tags Odoo loads the registry as a server does: no test
    # runs while the modules load.
    config.parse_config(odoo_args, setup_logging=True)
    odoo.service.server.load_server_wide_modules()
    dbname = config["db_name"]
    threading.current_thread().dbname = dbname
    registry = odoo.modules.registry.Registry(dbname)

    # Odoo's test framework is imported in test mode only.
    config["test_enable"] = True
    config["test_tags"] = tags
    from odoo.tests import HttpCase, loader
    from odoo.tests.result import OdooTestResult
    from odoo.tests.result import _logger as result_logger
    from odoo.tests.suite import OdooSuite
    from odoo.tests.tag_selector import TagsSelector

    selector = TagsSelector(tags)
    modules = sorted({module for _tag, module, *_rest in selector.include if module})
    tests = [
        test
        for module in modules
        for test_module in loader.get_test_modules(module)
        for test in loader.get_module_test_cases(test_module)
        if selector.check(test)
    ]
    # A class named in the tags that no longer exists would silently run nothing.
    missing = sorted(
        f"/{module}:{klass}"
        for _tag, module, klass, _method, _path in selector.include
        if klass and not any(type(test).__name__ == klass for test in tests)
    )
    if missing:
        sys.exit(f"No test found for {', '.join(missing)}")
    http = sorted({type(test).__name__ for test in tests if isinstance(test, HttpCase)})
    if http:
        sys.exit(f"HTTP tests need a server, run them with odoo-bin: {', '.join(http)}")
    result = OdooTestResult()
    odoo.modules.module.current_test = True
    threading.current_thread().testing = True
    try:
        OdooSuite(sorted(tests, key=lambda test: test.test_sequence))(result)
    finally:
        threading.current_thread().testing = False
        odoo.modules.module.current_test = False
    result.log_stats()
    # The line odoo-bin logs at the end of a test run.
    log = (
        result_logger.error
        if not result.wasSuccessful()
        else result_logger.warning
        if not result.testsRun
        else result_logger.info
    )
    log("%s when loading database %r", result, dbname)
    registry.delete(dbname)
    return 0 if result.wasSuccessful() and result.testsRun else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
