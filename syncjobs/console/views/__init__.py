"""Views beyond the model admins, one module per page group: each checks its permission and delegates."""
