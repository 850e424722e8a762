"""The tests build their tiny MarianMT models with the package's own factory (the one
``diptych models demo`` uses), so that a test model and a demo model are made alike."""

from pipeline.translation.families.marian_factory import OPUS_MT_ARCH, TC_BIG_ARCH, TINY_ARCH, TINY_BIG_ARCH, build_marian  # noqa: F401
