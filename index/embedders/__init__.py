"""Dense and sparse embedders for documents (indexing) and text (queries)."""
