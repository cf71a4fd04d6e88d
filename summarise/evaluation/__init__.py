"""Measuring summary quality: ROUGE as DUC scored it, baselines, and the `summarise eval` harness."""
