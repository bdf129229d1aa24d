"""What the operating systems call the notifications that a user's desktop is being locked
or put to sleep.

Plain names, no Qt: :mod:`ui.lock` subscribes to them (through QtDBus on Linux, a native
event filter on Windows). They are spelled here once, with what each one is.
"""

from __future__ import annotations

#: systemd-logind on the system bus (Linux).
LOGIND_SERVICE = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER = "org.freedesktop.login1.Manager"
#: the interface of one login session's object: its ``Lock`` signal is what
#: ``loginctl lock-session`` and most desktops send on screen lock.
LOGIND_SESSION = "org.freedesktop.login1.Session"
#: the manager's method giving the object path of this process's login session.
LOGIND_SESSION_OF_PID = "GetSessionByPID"

#: wtsapi32's function that asks for ``WM_WTSSESSION_CHANGE`` messages (Windows).
WTS_REGISTER_NOTIFICATION = "WTSRegisterSessionNotification"
