"""The Results page's parts: the round and ranking options, one module per tab of a scoring round, and
the results of ranking and weighting rounds.  Everything heavy comes from ``ui.analysis`` (cached)."""
