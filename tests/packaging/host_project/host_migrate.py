"""Run the host's Alembic history: `python host_migrate.py URL`."""

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

config = Config()
config.set_main_option("script_location", str(Path(__file__).parent / "host_migrations"))
config.set_main_option("sqlalchemy.url", sys.argv[1])
command.upgrade(config, "head")
print("host at head")
