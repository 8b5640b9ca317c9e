"""The MCN virtual-PBX API client: typed, paging by itself, retrying in one place."""

from .client import DEFAULT_PAGE_SIZE, DEFAULT_WINDOW, AsyncClient, Client
from .paging import Pager, Window, windows
from .resources import AsyncCallPages, CallPages, Page, Vpbx
from .retry import RetryPolicy
from .settings import DEFAULT_BASE_URL, Secret, Settings

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_WINDOW",
    "AsyncCallPages",
    "AsyncClient",
    "CallPages",
    "Client",
    "Page",
    "Pager",
    "RetryPolicy",
    "Secret",
    "Settings",
    "Vpbx",
    "Window",
    "windows",
]
