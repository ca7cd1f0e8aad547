"""Managed child processes for the embedded default: MediaMTX, MinIO and synthetic cameras."""
