"""Incremental sync of calls into SQLite or PostgreSQL."""

from .engine import PbxResult, Syncer, SyncPlan
from .rows import raw_hash, row_decoder

__all__ = ["PbxResult", "SyncPlan", "Syncer", "raw_hash", "row_decoder"]
