"""ingest/: files → clean Thai chunks (Haystack Documents). Never talks to the store."""
