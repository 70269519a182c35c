"""19.0.1.2.0: no personal link behind a short link any more.

Up to 19.0.1.1.0, mass mailing's link shortener turned every recipient's signed
registration link of a campaign into a link tracker, reachable by anybody through a
short, guessable code (/r/<code>). The trackers of personal links (PERSONAL_LINK_PATTERNS,
matched as the shortener matches them) are deleted, with their codes and clicks (the
database cascades). Their short links in mails sent before now lead nowhere (404); the
mailing traces keep their opens and clicks, so the statistics do not change."""

import logging

from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)

# The personal links of 19.0.1.2.0, as the shortener's blacklist matched them then (the
# registration page of a campaign's invitation and the confirmation of a sign-up). A
# copy: an upgrade must do what it did when it was written, whatever the addons add
# later.
PERSONAL_LINK_PATTERNS = (r"/kommune/invitation", r"/kommune/subscribe/confirm")


def migrate(cr, version):
    # Plain SQL: the link tracker's tables are mass mailing's, which a database need not
    # have (nor its models loaded when this runs).
    if not version or not table_exists(cr, "link_tracker"):
        return
    patterns = [f"{pattern}([#?/]|$)" for pattern in PERSONAL_LINK_PATTERNS]
    cr.execute("SELECT id FROM link_tracker WHERE url ~ ANY(%s)", [patterns])
    tracker_ids = tuple(row[0] for row in cr.fetchall())
    if not tracker_ids:
        return
    clicks = 0
    if table_exists(cr, "link_tracker_click"):
        cr.execute("SELECT count(*) FROM link_tracker_click WHERE link_id IN %s", [tracker_ids])
        clicks = cr.fetchone()[0]
    cr.execute("DELETE FROM link_tracker WHERE id IN %s", [tracker_ids])
    _logger.info(
        "Deleted %s link trackers of personal links, with their %s clicks",
        len(tracker_ids),
        clicks,
    )
