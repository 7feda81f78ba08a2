"""Services: every write the admin, the commands and the engine make to the sync domain."""
