"""The order system over HTTP: the endpoint table (shared with the server) and a client that
implements the seam (``orders.desk.Commerce``) against it."""
