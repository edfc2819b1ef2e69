"""What pages and CLI commands call. Permissions live here, never in the pages; nothing
here imports Streamlit."""

from console.services.errors import NotFound, PermissionDenied, ServiceError

__all__ = ["NotFound", "PermissionDenied", "ServiceError"]
