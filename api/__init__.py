"""The review service: FastAPI routes, the review queue database and the review page."""
