"""The approval engine: one engine and one inbox for every module's approvals.

Modules declare :class:`ApprovalType` objects (``intranet_approval_types``),
submit documents through :func:`current_engine` and embed the trail with
``{% include "approvals/_trail.html" %}`` and :func:`trail`.
"""
from .context import current_engine, engine_for
from .engine import ApprovalEngine
from .inbox import trail
from .models import (ApprovalAction, ApprovalPolicy, ApprovalRequest, ApprovalStep, ApprovalTask, Delegation, RequestStatus,
                     StepStatus, TaskStatus)
from .signatures import content_hash
from .types import ApprovalType, ContentField, PolicyField

__all__ = ["ApprovalAction", "ApprovalEngine", "ApprovalPolicy", "ApprovalRequest", "ApprovalStep", "ApprovalTask",
           "ApprovalType", "ContentField", "Delegation", "PolicyField", "RequestStatus", "StepStatus", "TaskStatus",
           "content_hash", "current_engine", "engine_for", "trail"]
