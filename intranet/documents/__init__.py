"""The module kit's documents: declare a document type once and get its number,
statuses, approval, printed form, attachments, comments and timeline.

A module mixes :class:`Document` into its model, declares a :class:`DocumentType`
through ``intranet_document_types`` and drives the document's life through
:func:`current_documents` (create, submit, withdraw, move); the approval
engine's decisions move it along its declared statuses.
"""
from ..events import DocumentEvent
from ..numbering import NumberSeries
from ..web.fields import Field
from .attachments import Upload, add_comment, attach, detach, line_attachments, timeline
from .context import Panel, can_view, current_documents, document_type, panels, uploads, visible_to
from .models import Attachment, Comment, Document
from .pages import document_page, editable_by_me, run_step, save_document, url_of, visible_document
from .scope import Scope, ScopeRule
from .service import DocumentService
from .statuses import APPROVAL_STATUSES, Status, StatusSet
from .types import Approval, DocumentType, LineTableSpec, PrintForm

__all__ = ["APPROVAL_STATUSES", "Approval", "Attachment", "Comment", "Document", "DocumentEvent", "DocumentService",
           "DocumentType", "Field", "LineTableSpec", "NumberSeries", "Panel", "PrintForm", "Scope", "ScopeRule",
           "Status", "StatusSet", "Upload", "add_comment", "attach", "can_view", "current_documents", "detach",
           "document_page", "document_type", "editable_by_me", "line_attachments", "panels", "run_step", "save_document", "timeline", "uploads",
           "url_of", "visible_document", "visible_to"]
