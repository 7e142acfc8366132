"""Email alerts for anything that has a feed (docs/alerts.md).

An alert follows a feed's address: the same builder that serves the feed (portal/feeds.py)
says what it follows, so an alert on a search, a listing, an enterprise, a department or one
record mails exactly what that feed would show as new. Double opt-in (`store`), mails in the
subscriber's language with a one-click unsubscribe (`mail`), sent by `portal alerts send` or the
worker (`sender`, `worker`), each revision of a record once per subscription (the sent-log).
"""
