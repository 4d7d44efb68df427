"""The official geography, built once into the store: pinned sources (`sources`), reference tables
(`reference`), polygons and their display versions (`polygons`, `geometry`), the build itself (`pipeline`),
the offline map assets (`assets`) and synthetic lists for tests and benchmarks (`synth`)."""

from geo.build.pipeline import BUILD_WAIT_SECONDS, BuildReport, build

__all__ = ["BUILD_WAIT_SECONDS", "BuildReport", "build"]
