"""Allow ``python -m generators``."""

from generators.cli import main

if __name__ == "__main__":
    main()
