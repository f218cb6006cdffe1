"""Attachments: one storage interface, kept in the database by default so that
several app servers and the backup need no shared disk."""
from .models import StoredFile
from .services import FileRules, download_response, read_image, save_upload

__all__ = ["FileRules", "StoredFile", "download_response", "read_image", "save_upload"]
