from django.core.management.base import BaseCommand, CommandError

from training.content import ContentError, read_course
from training.services import content_load


class Command(BaseCommand):
    help = "Create or update the training modules, pages and quiz bank from training/content/."

    def handle(self, *args, **options):
        try:
            course = read_course()
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        counts = content_load(course=course)
        self.stdout.write(
            f"Training content {course.version}: {counts['modules']} modules, "
            f"{counts['pages']} pages, {counts['questions']} questions."
        )
