"""Benchmarks: Careline against a bare python-socketio relay (``python -m bench``)."""
