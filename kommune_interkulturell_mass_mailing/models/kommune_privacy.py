from odoo import api, models


class KommunePrivacy(models.AbstractModel):
    """Subject access and erasure of what mass mailing holds of a person: their mailing
    traces, link trackers holding their personal links, the clicks on them and from
    their mails (with the visitor's IP address), mailing-list contacts with their
    address."""

    _inherit = "kommune.privacy"

    @api.model
    def _get_app_sections(self, person, found, looked_up):
        return super()._get_app_sections(person, found, looked_up) + [
            (
                "mailing_traces",
                self.env._("Mailing Traces"),
                self.env["mailing.trace"].search(
                    [("model", "=", person._name), ("res_id", "in", person.ids)]
                )
                | looked_up("mailing.trace"),
            ),
            (
                "personal_links",
                self.env._("Personal Links in Link Trackers"),
                looked_up("link.tracker"),
            ),
            ("link_clicks", self.env._("Clicks on Links"), looked_up("link.tracker.click")),
        ]

    @api.model
    def _get_exported_fields(self):
        return {
            **super()._get_exported_fields(),
            "mailing.trace": [
                *("mass_mailing_id", "email", "trace_status", "sent_datetime", "open_datetime"),
                *("links_click_datetime", "reply_datetime", "failure_type"),
            ],
            "link.tracker": ["url", "create_date", "mass_mailing_id", "count"],
            "link.tracker.click": ["create_date", "link_id", "ip", "country_id", "mass_mailing_id"],
        }

    @api.model
    def _anonymize_app_records(self, persons, records):
        """The person's mailing traces stay for the statistics of their campaigns
        (status, dates, clicks) without their address; the link trackers holding their
        personal links go, with the clicks on them; the other clicks from their mails
        stay for the link statistics without the visitor's IP address; mailing-list
        contacts with their address go."""
        done = super()._anonymize_app_records(persons, records)
        links, clicks = records("link.tracker"), records("link.tracker.click")
        with_links = clicks.filtered(lambda click: click.link_id in links)
        (clicks - with_links).write({"ip": False})
        links.unlink()
        records("mailing.trace").write(
            {"email": False, "message_id": False, "failure_reason": False}
        )
        records("mailing.contact").unlink()
        label = self.env._("Deleted with the personal link")
        done.update(dict.fromkeys([(click._name, click.id) for click in with_links], label))
        return done

    @api.model
    def _get_erasure_labels(self):
        return {
            **super()._get_erasure_labels(),
            "mailing.trace": self.env._("Anonymised, kept for the statistics"),
            "link.tracker": self.env._("Deleted"),
            "link.tracker.click": self.env._("IP address removed, kept for the statistics"),
            "mailing.contact": self.env._("Deleted"),
        }
