"""Pydantic models in and out of the order use cases: the REST API's (and OpenAPI's) models."""
