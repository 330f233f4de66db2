"""webhooks domain of the core: the event log, pushed to a CRM or ERP over HTTP.

``models`` holds the tables, ``signature`` the body and its signature,
``service`` subscriptions, replays and the delivery log, ``dispatcher`` the
background task that follows the log and posts, ``routes`` the HTTP surface.
"""

__all__: list[str] = []
