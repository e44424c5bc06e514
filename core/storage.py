"""Static file storage for production: compressed, hashed names, ES module imports rewritten."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Our init script imports the NHS.UK ES module by a relative path: rewrite it to the
    # hashed name.
    support_js_module_import_aggregation = True
