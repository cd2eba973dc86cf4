"""Package layout only (metadata lives in pyproject.toml): ship templates/ as generators.templates."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["generators", "generators.*"]), "generators.templates"],
    package_dir={"generators.templates": "templates"},
)
