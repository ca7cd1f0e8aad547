"""Share links signed with a key that can only read the archive's objects, not with the archive's own key.

A presigned link carries the signer's access key id and is valid for as long as that key is: signing with the
key the recorder writes and deletes with would hand out a link from an all-powerful key. Where the storage
offers STS (MinIO's AssumeRole), links are signed with temporary credentials limited to s3:GetObject on the
bucket. They stay valid across a restart of the storage (measured: MinIO keeps its STS sessions)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

SESSION_SECONDS = 7 * 24 * 3600  # the longest a link may last (the 7-day cap)


@dataclass
class _Session:
    client: Any
    expires_at: float = field(default=0.0)


class ScopedLinkSigner:
    def __init__(self, endpoint_url: str, bucket: str, access_key: str, secret_key: str, region: str,
                 config: Config, link_endpoint_url: str | None = None) -> None:  # fmt: skip
        """`link_endpoint_url`: the host links name (a configured public endpoint), when not `endpoint_url`;
        the credentials are asked of `endpoint_url`, the signature covers the host the link names."""
        self.endpoint_url = endpoint_url
        self.link_endpoint_url = link_endpoint_url or endpoint_url
        self.bucket = bucket
        self.region = region
        self.config = config
        self._sts = boto3.client("sts", endpoint_url=endpoint_url, aws_access_key_id=access_key,
                                 aws_secret_access_key=secret_key, region_name=region, config=config)  # fmt: skip
        self._session: _Session | None = None
        self._lock = threading.Lock()

    def policy(self) -> str:
        read_objects = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [f"arn:aws:s3:::{self.bucket}/*"]}
        return json.dumps({"Version": "2012-10-17", "Statement": [read_objects]})

    def _client_for(self, expires_in: int) -> Any:
        """A client with read-only credentials that outlive a link of `expires_in` seconds."""
        with self._lock:
            now = time.time()
            if self._session is None or self._session.expires_at - now < expires_in + 60:
                answer = self._sts.assume_role(RoleArn="arn:minio:iam:::role/vidstream-links",
                                               RoleSessionName="vidstream-links", Policy=self.policy(),
                                               DurationSeconds=SESSION_SECONDS)  # fmt: skip
                credentials = answer["Credentials"]
                client = boto3.client("s3", endpoint_url=self.link_endpoint_url, region_name=self.region,
                                      aws_access_key_id=credentials["AccessKeyId"],
                                      aws_secret_access_key=credentials["SecretAccessKey"],
                                      aws_session_token=credentials["SessionToken"], config=self.config)  # fmt: skip
                self._session = _Session(client, credentials["Expiration"].timestamp())
            return self._session.client

    def presign(self, key: str, expires_in: int) -> str:
        client = self._client_for(expires_in)
        return str(client.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": key},
                                                 ExpiresIn=expires_in))  # fmt: skip
