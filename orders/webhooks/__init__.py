"""Outgoing webhooks: domain events from the outbox, signed and POSTed to the integrators'
endpoints, each endpoint tracked on its own, retried with backoff, given up after a while.

``delivery`` is the policy (body, signature, backoff), ``store`` the SQL claims, ``worker`` the
loop, ``transport`` what it needs from HTTP (the aiohttp client is ``web/webhooks.py``). See
``docs/webhooks.md``.
"""
