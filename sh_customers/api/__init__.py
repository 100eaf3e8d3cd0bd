"""The customers REST API's plain parts, used by the ``sh.customer.api``
model and the dispatching controller: the answers to errors
(:mod:`.errors`), the checks of every value that comes in (:mod:`.checks`),
the route declaration and its matching (:mod:`.routes`) and the OpenAPI
document built from the declarations (:mod:`.openapi`)."""
