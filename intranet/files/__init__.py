"""Attachments: one storage interface, kept in the database by default so that
several app servers and the backup need no shared disk."""
from .downloads import download_response
from .models import StoredFile
from .services import FileRules, content_type_of, read_image, save_upload

__all__ = ["FileRules", "StoredFile", "content_type_of", "download_response", "read_image", "save_upload"]
