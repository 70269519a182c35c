from odoo import api, models

CRON_BATCH_SIZE_PARAM = "kommune_interkulturell.cron_batch_size"
DEFAULT_CRON_BATCH_SIZE = 200


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _kommune_batch_size(self):
        """How many records the project's crons handle per committed batch."""
        # sudo: a technical setting read by the crons, whoever runs them.
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(CRON_BATCH_SIZE_PARAM, DEFAULT_CRON_BATCH_SIZE)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_CRON_BATCH_SIZE

    @api.model
    def _kommune_commit_progress(self, processed=0, remaining=None):
        """Commit a finished batch of a scheduled job and report it to the scheduler,
        which resumes the job after a timeout from the last committed batch.

        Outside a scheduled job (a button, a shell, a test) nothing is committed: the
        caller's transaction stays whole.

        :return: seconds left for the job (infinite outside a job)
        """
        if not self.env.context.get("ir_cron_progress_id"):
            return float("inf")
        return self._commit_progress(processed, remaining=remaining)

    @api.model
    def _kommune_process_batches(self, records_to_do, process):
        """Run ``process`` on batches of what ``records_to_do()`` returns until it
        returns nothing or the job's time is up, committing after each batch.

        ``process(batch)`` must make the batch drop out of ``records_to_do()`` (mark
        it sent, reminded, erased) in the same transaction as its work: a batch is
        then done exactly once, also when the job is interrupted and runs again.

        :param records_to_do: callable(limit) -> recordset, in a stable order
        :param process: callable(recordset)
        :return: how many records were processed
        """
        batch_size = self._kommune_batch_size()
        done = 0
        while batch := records_to_do(batch_size + 1):
            more = len(batch) > batch_size
            batch = batch[:batch_size]
            process(batch)
            done += len(batch)
            if not more:
                self._kommune_commit_progress(len(batch), remaining=0)
                break
            if self._kommune_commit_progress(len(batch), remaining=1) <= 0:
                break
        return done
