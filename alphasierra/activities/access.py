"""Who may see, ask for and manage the activities of a CLAS or an association.

Built on the role look-ups of ``organisations.access``, with their one refusal
rule (403 without a role, 404 for another organisation's staff or objects).
An activity's managers are the site managers of its CLAS or the managers of
its association.
"""
