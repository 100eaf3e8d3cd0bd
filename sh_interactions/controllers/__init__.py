"""No controller of its own: the addon's API routes are declared by
``sh.customer.api._sh_api_routes`` and served by sh_customers' API
controller."""
