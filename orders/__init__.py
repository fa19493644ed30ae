"""The order desk: catalog, orders and everything that happens to them.

- ``domain/``: the order aggregate (dataclasses, Decimal money) and its rules, one module per
  concern (lines, header, cancellation, holds, adjustments, payments, fulfilment, invoicing,
  returns, history, limits, approvals); no framework, no I/O.
- ``catalog/``: products, variants, stores and stock, promotions; stores near a shopper.
- ``schemas/``: the pydantic commands and views (the REST API's models).
- ``usecases/``: one function per action, ``(uow, actor, number, command) -> OrderView``.
- ``ports.py`` / ``persistence/``: the unit of work and repositories, and their SQL version.
- ``desk.py``: the seam (``OrderDesk``, ``Storefront``, ``FulfilmentFeed``); ``local/`` is the
  in-process implementation; ``directory.py`` is what the chat side sees.
- ``tables.py``: the commerce ``metadata`` (migration branch ``commerce``).
"""
