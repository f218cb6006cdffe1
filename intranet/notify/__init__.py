"""Notifications in the app and by e-mail, and the reminder job modules feed."""
from .models import Notification
from .services import Reminder, ReminderScanner, ScanContext, deliver, notify, unread_count

__all__ = ["Notification", "Reminder", "ReminderScanner", "ScanContext", "deliver", "notify", "unread_count"]
