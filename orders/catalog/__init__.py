"""The catalog: products with variants and prices, stores and warehouses with stock, promotions."""
