"""Measures of impact: targets, values recorded each period, and their RAG."""
