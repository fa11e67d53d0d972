from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"

    def ready(self):
        # Permission rules register themselves on import, tasks with Celery.
        from feedback import rules, tasks  # noqa: F401
        from feedback.selectors import home as selectors_home
        from peersupport.home import home_part_register

        home_part_register(
            "feedback.waiting",
            order=20,
            template="feedback/fragments/home_waiting.html",
            read=selectors_home.home_waiting_part,
        )
