"""Console views beyond the model admins: each checks its permission and delegates."""
