"""Use-cases of the referent's work, as plain functions on a store session (no Qt, no HTTP).

Each function takes the session of one ``Store.write()`` (or ``read()``) transaction
and the ``Actor`` acting, so that the UI, the CLI and the tests call the same code and
several use-cases can share one transaction (record an outcome and plan the next).
"""
