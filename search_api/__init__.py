"""search_api/: queries → ranked Thai results; the FastAPI app serving the JSON API and the UI."""
