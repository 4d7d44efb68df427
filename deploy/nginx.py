"""The nginx configuration of the national deployment, written from deploy/terres-de-jeux.conf, and nginx run
without root in a folder of its own (for the tests and the load benchmark).

    python -m deploy.nginx --ecoute 80 --replique 10.0.0.11:8501 --replique 10.0.0.12:8501 \\
        > /etc/nginx/conf.d/terres-de-jeux.conf

writes the `http`-level configuration an administrator installs; `python -m deploy.nginx --autonome DOSSIER …`
writes, in addition, a whole nginx.conf whose pid, logs and temporary files stay in DOSSIER (no root needed)."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "terres-de-jeux.conf"
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"


def upload_limit_mb() -> int:
    """The app's upload limit in Mo (server.maxUploadSize), which nginx's client_max_body_size must equal."""
    config = tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    return int(config.get("server", {}).get("maxUploadSize", 200))  # Streamlit's default: 200 Mo


def site(listen: str, replicas: list[str]) -> str:
    """The `http`-level configuration: the template with its listening address, replicas and upload limit."""
    if not replicas:
        raise ValueError("au moins une réplique (adresse:port)")
    servers = "\n".join(f"    server {r} max_fails=1 fail_timeout=10s;" for r in replicas)
    text = SITE.read_text(encoding="utf-8")
    text = text.replace("@REPLIQUES@", servers).replace("@ECOUTE@", listen)
    return text.replace("@TAILLE_DEPOT@", f"{upload_limit_mb()}m")


def standalone(prefix: Path, site_conf: Path) -> str:
    """A whole nginx.conf that includes `site_conf`, with every file nginx writes kept in `prefix`."""
    temp = "\n".join(f"    {name}_temp_path {prefix / 'tmp' / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    return (f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\n"
            "events { worker_connections 4096; }\n"
            "http {\n"
            f"{temp}\n"
            f"    include {site_conf};\n"
            f"    access_log {prefix / 'access.log'} tdj;\n"
            "}\n")


def nginx_binary() -> str | None:
    """Debian's nginx (make nginx installs it), or None."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def write(prefix: Path, listen: str, replicas: list[str]) -> Path:
    """Write the site and its standalone nginx.conf in `prefix`; return the nginx.conf."""
    prefix.mkdir(parents=True, exist_ok=True)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / name).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # the workers run as nobody: their temporary folders must be theirs
        for path in [prefix / "tmp", *(prefix / "tmp").iterdir()]:
            shutil.chown(path, "nobody", "nogroup")
    site_conf = prefix / "terres-de-jeux.conf"
    site_conf.write_text(site(listen, replicas), encoding="utf-8")
    main = prefix / "nginx.conf"
    main.write_text(standalone(prefix, site_conf), encoding="utf-8")
    return main


@contextmanager
def running(prefix: Path, port: int, replicas: list[str]) -> Iterator[str]:
    """nginx on 127.0.0.1:`port` in front of `replicas`, its files in `prefix`; yields its base URL once it
    answers (a replica's health check through it), stopped afterwards."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx absent : « make nginx » l'installe (paquet Debian)")
    main = write(prefix, f"127.0.0.1:{port}", replicas)
    subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(main), "-e", str(prefix / "error.log")],
                   check=True, capture_output=True)
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(main), "-e", str(prefix / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx s'est arrêté (code {proc.returncode}) : "
                                   + (prefix / "error.log").read_text(encoding="utf-8", errors="replace")[-2000:])
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)  # polling nginx's port: nothing else to wait on
        yield url
    finally:
        proc.send_signal(signal.SIGQUIT)  # graceful: workers finish what they serve
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def requests(access_log: Path) -> list[dict[str, str]]:
    """nginx's access log, one dict a request: path, status, the replica that answered (`upstream`, the ones
    passed over first) and the browser's affinity."""
    if not access_log.exists():
        return []
    pattern = re.compile(r'"[A-Z]+ (?P<path>[^ ?]+)\S* [^"]*" (?P<status>\d+) \d+ upstream=(?P<upstream>.*?) '
                         r'affinite=(?P<affinite>\S*) rt=')
    return [m.groupdict() for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines()
            if (m := pattern.search(line))]


def main(argv: list[str] | None = None) -> int:
    """Print the site configuration (or write a standalone one with --autonome)."""
    parser = argparse.ArgumentParser(prog="python -m deploy.nginx", description=__doc__.splitlines()[0])
    parser.add_argument("--ecoute", default="80", help="adresse et port d'écoute de nginx (« 80 », « 127.0.0.1:8080 »)")
    parser.add_argument("--replique", action="append", required=True, help="adresse:port d'une réplique (répété)")
    parser.add_argument("--autonome", type=Path, help="dossier où écrire un nginx.conf complet (sans root)")
    args = parser.parse_args(argv)
    if args.autonome:
        conf = write(args.autonome, args.ecoute, args.replique)
        print(f"nginx -p {args.autonome} -c {conf} -e {args.autonome / 'error.log'}", file=sys.stderr)
    else:
        sys.stdout.write(site(args.ecoute, args.replique))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
