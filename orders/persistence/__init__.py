"""SQL persistence of the commerce side: repositories and the unit of work."""
