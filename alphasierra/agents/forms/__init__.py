"""Forms of the agents app, one module per page:

- ``signup``: the sign-up and the children's rows, the confirmation of the address;
- ``register``: the register's search and filters, the correction of an agent's data;
- ``family``: the family editor;
- ``approval``: the refusal of a registration;
- ``fields`` and ``formsets``: what they share.
"""
