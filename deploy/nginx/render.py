#!/usr/bin/env python3
"""Render the nginx configuration of the column into a run folder.

Usage: render.py RUN_DIR KEY=VALUE ...   (keys: LISTEN, UPSTREAM, PAGECACHE_DIR, STATIC_ROOT, MEDIA_ROOT, PRIVATE_MEDIA_ROOT,
       optional NGINX_WORKERS, ACCESS_LOG, EXTRA_LOCATIONS). Prints the path of nginx.conf.

Only ${NAME} placeholders of the template are replaced; nginx's own $variables are left alone.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def render(run_dir: Path, values: dict[str, str]) -> Path:
    run_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / sub).mkdir(exist_ok=True)
    defaults = {
        "NGINX_WORKERS": "auto",
        "ACCESS_LOG": "off",
        "EXTRA_LOCATIONS": "",
        "RUN_DIR": str(run_dir),
        "CONF_DIR": str(run_dir),
        # As root, nginx's workers would run as "nobody", who may not read the app's files.
        "NGINX_USER_LINE": f"user {getpass.getuser()};" if os.geteuid() == 0 else "",
    }
    values = {**defaults, **values}
    template = (HERE / "lantoa-column.conf.template").read_text()

    def sub(match):
        key = match.group(1)
        if key not in values:
            raise SystemExit(f"render.py: no value for ${{{key}}}")
        return values[key]

    text = re.sub(r"\$\{([A-Z_]+)\}", sub, template)
    shutil.copy(HERE / "lantoa-proxy.conf", run_dir / "lantoa-proxy.conf")
    conf = run_dir / "nginx.conf"
    conf.write_text(text)
    return conf


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    pairs = dict(arg.split("=", 1) for arg in sys.argv[2:])
    print(render(Path(sys.argv[1]).resolve(), pairs))
