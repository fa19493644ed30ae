"""The order domain: a framework-free aggregate (dataclasses, Decimal money) and its rules."""
