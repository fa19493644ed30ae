"""Customers, carts and the browsing trail, and what the commerce side shares.

- ``kernel.py`` (ids, money, actors, addresses, events), ``errors.py`` (coded errors),
  ``bus.py`` (in-process listeners), ``cards.py`` (no card numbers, ever).
- ``model.py`` (consumer and business profiles), ``carts.py`` (carts, page views).
- ``schemas.py`` / ``views.py``: pydantic models in and out; ``usecases/``: one function per
  action; ``ports.py``, ``repository.py``, ``tables.py``: storage.
"""
