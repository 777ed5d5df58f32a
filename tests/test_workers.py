"""What workers send back: plain data, interned texts shared again in this process."""

from __future__ import annotations

import sys

from aimsctl import workers


def test_packed_data_comes_back_equal_with_its_interned_texts_shared() -> None:
    name = sys.intern("likelihood-field-name")
    data = [{name: 3, "list": [1.5, None, True, "x" * 100]}, (1, {"a": -(10**40)})]
    back = workers.unpack(workers.pack(data))
    assert back == data
    (key,) = [k for k in back[0] if k != "list"]
    assert key is name  # one string for every record again, as a parse here makes
