"""Predictions: downtime risk, anomalies, the model registry and honest evaluation against a naive baseline."""
