"""How static files are stored for production: hashed names (cached for a year by browsers) and
gzip copies beside them, made once by collectstatic and served by WhiteNoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (
            glob,
            tuple(
                rule
                for rule in rules
                if "sourceMappingURL" not in (rule if isinstance(rule, str) else rule[0])
            ),
        )
        for glob, rules in patterns
    )


class StaticStorage(CompressedManifestStaticFilesStorage):
    # The libraries vendored from npm ship without their .map files, yet their last line names
    # one: rewriting that comment would make collectstatic fail on a file nobody serves.
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
