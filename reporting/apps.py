from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        # Keep the summary tables up to date as training announces what happened.
        from reporting import summaries
        from training import signals

        for signal, receiver in (
            (signals.page_first_viewed, summaries.on_page_first_viewed),
            (signals.attempt_started, summaries.on_attempt_started),
            (signals.attempt_submitted, summaries.on_attempt_submitted),
            (signals.module_completed, summaries.on_module_completed),
            (signals.survey_submitted, summaries.on_survey_submitted),
            (signals.course_changed, summaries.on_course_changed),
        ):
            signal.connect(receiver, dispatch_uid=f"reporting.summaries.{receiver.__name__}")
