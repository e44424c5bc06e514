from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark (`make bench`): installed by the bench and test settings only, never in
    production, so none of its commands or URLs ship with the service."""

    name = "bench"
    verbose_name = "Benchmark"
