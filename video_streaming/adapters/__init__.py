"""Real implementations of the ports: MediaMTX (httpx), FFmpeg (asyncio subprocess), S3 (boto3), local."""
