"""Document stores: qdrant-edge in-process (default) and a Qdrant server, one collection schema."""
