"""The service's routers, one module per resource; handlers stay a few lines."""
