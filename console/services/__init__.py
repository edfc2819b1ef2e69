"""What pages and CLI commands call. Permissions live here, never in the pages; nothing
here imports Streamlit."""

from console.services.errors import BadInput, Conflict, NotFound, PermissionDenied, ServiceError

__all__ = ["BadInput", "Conflict", "NotFound", "PermissionDenied", "ServiceError"]
