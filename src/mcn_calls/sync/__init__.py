"""Incremental sync of calls into SQLite or PostgreSQL."""

from .engine import PbxResult, Syncer, SyncPlan, raise_failures
from .rows import raw_hash, row_decoder

__all__ = ["PbxResult", "SyncPlan", "Syncer", "raise_failures", "raw_hash", "row_decoder"]
