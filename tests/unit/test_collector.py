"""What a build keeps to its end stays out of the collector's scans, nested or not."""
from __future__ import annotations

import gc

from sitegen.engine.collector import YOUNG, long_lived


def test_an_inner_block_leaves_what_the_outer_froze_frozen() -> None:
    before = gc.get_threshold()
    kept = [[n] for n in range(1000)]
    with long_lived():
        outer = gc.get_freeze_count()
        assert outer >= len(kept)
        assert gc.get_threshold()[0] == YOUNG
        made = [[n] for n in range(1000)]
        with long_lived():
            assert gc.get_freeze_count() >= outer + len(made)
        assert gc.get_freeze_count() >= outer          # not thawed by the inner block
        assert gc.get_threshold()[0] == YOUNG
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
