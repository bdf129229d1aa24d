"""Sync: the wire protocol, the device's sync engine (client) and the departmental server.

``spie_desktop`` (the core) never imports this package; this package depends on it.
"""
