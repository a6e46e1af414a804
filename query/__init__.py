"""query/: what the CLI, the API and evaluation share about searching — the request, filters,
understanding the question, grouping per source, paging, snippets and result shapes.

Below the web layer: nothing here imports the HTTP package.
"""
