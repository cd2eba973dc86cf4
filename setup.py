"""Package layout only (metadata lives in pyproject.toml): ship templates/ as generators.templates."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["generators", "generators.*"]), "generators.templates"],
    package_dir={"generators.templates": "templates"},
    # build/ holds the generated artefacts: setuptools must keep its own scratch files elsewhere
    options={"build": {"build_base": ".setuptools-build"}},
)
