"""index/: chunks → vectors in Qdrant. The store, the embedders and the shared Thai text rules."""
