"""The modules that define pydantic models evaluate their annotations as the class is
made: with ``from __future__ import annotations`` pydantic compiles and evaluates each
field's annotation from its text at every start-up (see records/base.py)."""

from __future__ import annotations
import __future__

import importlib
import pkgutil
from types import ModuleType

import pytest
from pydantic import BaseModel

import aimsctl.config
import aimsctl.records


def _model_modules() -> list[ModuleType]:
    found = []
    for package in (aimsctl.config, aimsctl.records):
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            if any(
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
                for value in vars(module).values()
            ):
                found.append(module)
    return found


MODEL_MODULES = _model_modules()


def test_the_model_modules_are_found() -> None:
    names = {module.__name__ for module in MODEL_MODULES}
    assert {"aimsctl.records.base", "aimsctl.config.settings"} <= names


@pytest.mark.parametrize("module", MODEL_MODULES, ids=lambda module: module.__name__)
def test_a_model_module_does_not_postpone_its_annotations(module: ModuleType) -> None:
    assert getattr(module, "annotations", None) is not __future__.annotations
