"""Errors the service layer raises; pages show them, CLI commands print them."""


class ServiceError(Exception):
    """A request that cannot be done; the message is fit to show to staff."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass
