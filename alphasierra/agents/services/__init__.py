"""Writes of the agents app, one module per job:

- ``signup``: sign-up, confirmation of the address by link or by code, resending it;
- ``approval``: approval or rejection by a site manager, reminders of requests waiting;
- ``register``: corrections of an agent's data (by a manager or the agent);
- ``family``: the spouse and children, and the rules of a whole family;
- ``erasure``: deletion requests, erasure, purges of accounts never confirmed or rejected;
- ``links``: addresses of the portal's pages for the e-mails.
"""
