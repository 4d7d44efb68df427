"""Load (issue 24): 1, 20, 50 new sessions on ?dep=62, a région, France, direct and through nginx; a storm.

Beside a one-title Streamlit app under the same sessions, in the same run.

One command: `.venv/bin/python bench/load.py` (add `--ecrire` to write its section in BENCHMARKS.md; `--sessions 1,5`
and `--rafale 2000` for a quick run on a busy machine). Not a test: it measures, it asserts nothing.

Each new session speaks Streamlit's websocket protocol (bench/wire.py): time from its request to the end of the
script run, every element received (the map's payload included). The replicas serve a copy of the project's
store, read-only (TDJ_LECTURE_SEULE=1), as a published replica does. Server RSS is the peak (VmHWM) of the
replica processes after each step. The storm: one client sends N rerun requests on one websocket as fast as it
can, then closes; we measure the time from its close until /_stcore/health answers, and the load time of a lone
?dep=62 session started while the storm is sent, against the same load on a quiet server."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.common import machine  # noqa: E402
from bench.wire import Run, load  # noqa: E402
from deploy import nginx  # noqa: E402

PAGES = {  # name: (url path, query, what a whole page says)
    "titre": ("", "", "Bonjour"),
    "dep62": ("departement", "dep=62", "Pas-de-Calais"),
    "region": ("region", "reg=32", "Hauts-de-France"),
    "france": ("france", "", "France"),
}
NGINX_REFILL = 20.0  # seconds: deploy/terres-de-jeux.conf lets one address open 100 sessions, then 5 a second
TITLE_APP = 'import streamlit as st\n\nst.title("Bonjour")\n'


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pids: list[int]) -> float:
    """The replicas' peak resident memory (VmHWM), summed, in Mo."""
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status", encoding="utf-8"):
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _healthy(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # polling a port: nothing else to wait on


@contextmanager
def replica(script: Path, store: Path | None, cwd: Path) -> Iterator[tuple[str, int]]:
    """A Streamlit server on a free port (no file watcher, headless); yields its URL and pid."""
    port = free_port()
    env = {**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "TDJ_LECTURE_SEULE": "1"}
    if store:
        env["TDJ_STORE"] = str(store)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.headless", "true"], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _healthy(url)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _ok(run: Run | BaseException, says: str) -> bool:
    return (isinstance(run, Run) and run.finished and not run.exceptions and any(says in t for t in run.texts))


async def _sessions(url: str, page: str, n: int) -> list[Run | BaseException]:
    path, query, _ = PAGES[page]
    return await asyncio.gather(*(load(url, path, query, timeout=600) for _ in range(n)), return_exceptions=True)


def _why(run: Run | BaseException) -> str:
    """What went wrong with a load, said briefly for the table."""
    if isinstance(run, BaseException):
        return f"{type(run).__name__}: {str(run)[:80]}"
    if run.exceptions:
        return run.exceptions[0][:80]
    return "page incomplète" if run.finished else "script non terminé"


def sessions(url: str, page: str, n: int) -> tuple[float, float, str]:
    """n new sessions at once on `page`: median and max seconds, errors (their count and the first one)."""
    runs = asyncio.run(_sessions(url, page, n))
    says = PAGES[page][2]
    times = [r.seconds for r in runs if isinstance(r, Run)]
    failed = [r for r in runs if not _ok(r, says)]
    errors = f"{len(failed)} erreur(s)" + (f" ({_why(failed[0])})" if failed else "")
    return statistics.median(times) if times else float("nan"), max(times) if times else float("nan"), errors


FLOOD = """
import asyncio, sys, time
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg

async def main(url, n):
    ws = await websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, ping_interval=None, open_timeout=60)
    msg = BackMsg()
    msg.rerun_script.query_string = "dep=62"
    msg.rerun_script.page_name = "departement"
    payload = msg.SerializeToString()
    print("ouvert", flush=True)
    try:
        for _ in range(n):
            await ws.send(payload)
    except websockets.ConnectionClosed:
        pass  # the server cut the session
    await ws.close()

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def _storm(url: str, n: int) -> tuple[float, float, bool]:
    """The flood, from a process of its own (its sending loop never delays the lone session's reads), and a lone
    session loading ?dep=62 while it is sent: seconds from the flood's close until health answers, the lone
    session's load time, whether it got its whole page."""
    flood = subprocess.Popen([sys.executable, "-c", FLOOD, url, str(n)], stdout=subprocess.PIPE, text=True)
    flood.stdout.readline()  # its websocket is open: the flood starts now
    health: list[float] = []

    def after_close() -> None:
        """Once the flood's client has closed, until the server answers its health check."""
        flood.wait(timeout=3600)
        closed = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=5)
                break
            except OSError:
                continue
        health.append(time.perf_counter() - closed)

    watcher = threading.Thread(target=after_close)
    watcher.start()
    run = asyncio.run(load(url, "departement", "dep=62", timeout=1800))
    watcher.join()
    if not _ok(run, "Pas-de-Calais"):
        print(f"rafale : session seule incomplète ({_why(run)})", file=sys.stderr)
    return health[0], run.seconds, _ok(run, "Pas-de-Calais")


def storm(url: str, n: int) -> tuple[float, float, bool, float]:
    """Three storms (the slowest health answer, the lone session's median load), with that session's normal load
    time (median of 3 on the quiet server) for reference."""
    normal = statistics.median(asyncio.run(load(url, "departement", "dep=62")).seconds for _ in range(3))
    storms = [_storm(url, n) for _ in range(3)]  # the worst health, the median lone load
    return (max(h for h, _, _ in storms), statistics.median(t for _, t, _ in storms), all(w for _, _, w in storms),
            normal)


def store_copy(dest: Path) -> Path:
    """The project's store copied (its user tables brought to the current schema), served read-only."""
    import duckdb

    from geo.paths import store_path
    from geo.store.schema import create_user_tables

    shutil.copyfile(store_path(), dest)
    con = duckdb.connect(str(dest))
    create_user_tables(con)
    con.execute("CHECKPOINT")
    con.close()
    return dest


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,20,50", help="nombres de sessions simultanées (« 1,20,50 »)")
    parser.add_argument("--pages", default="dep62,region,france")
    parser.add_argument("--rafale", type=int, default=10_000, help="relances envoyées par le client de la rafale")
    parser.add_argument("--sans-nginx", action="store_true")
    parser.add_argument("--ecrire", action="store_true", help="écrire la section dans BENCHMARKS.md")
    args = parser.parse_args(argv)
    counts = [int(x) for x in args.sessions.split(",")]
    pages = args.pages.split(",")
    rows: list[tuple[str, str, str, str]] = []
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="tdj-charge-") as tmp, ExitStack() as stack:
        tmp_path = Path(tmp)
        store = store_copy(tmp_path / "territoires.duckdb")
        (tmp_path / "titre").mkdir()
        title = tmp_path / "titre" / "titre.py"
        title.write_text(TITLE_APP, encoding="utf-8")
        title_url, title_pid = stack.enter_context(replica(title, None, title.parent))
        app_url, app_pid = stack.enter_context(replica(ROOT / "app.py", store, ROOT))
        setups = {"direct (1 réplique)": (app_url, [app_pid])}
        if not args.sans_nginx and nginx.nginx_binary():
            second_url, second_pid = stack.enter_context(replica(ROOT / "app.py", store, ROOT))
            front = stack.enter_context(nginx.running(tmp_path / "nginx", free_port(),
                                                      [app_url.removeprefix("http://"),
                                                       second_url.removeprefix("http://")]))
            setups["nginx (2 répliques)"] = (front, [app_pid, second_pid])
        for url in (title_url, app_url, *(u for u, _ in setups.values())):  # warm: the app imported, caches full
            for page in (["titre"] if url == title_url else pages):
                asyncio.run(_sessions(url, page, 2))
        floor: dict[int, float] = {}
        for n in counts:
            med, worst, errors = sessions(title_url, "titre", n)
            floor[n] = med
            loads.append(os.getloadavg()[0])
            rows.append((f"application d'un seul titre, {n} session(s)", f"médiane {med:.2f} s, max {worst:.2f} s ; "
                         f"{errors}", f"RSS {peak_rss_mb([title_pid]):.0f} Mo ; charge "
                         f"{os.getloadavg()[0]:.1f}", "plancher"))
        for setup, (url, pids) in setups.items():
            for page in pages:
                for n in counts:
                    if url != app_url:  # nginx: its per-address bucket of new sessions refilled (100 at 5/s)
                        time.sleep(NGINX_REFILL)
                    med, worst, errors = sessions(url, page, n)
                    loads.append(os.getloadavg()[0])
                    rows.append((f"{page}, {n} session(s), {setup}",
                                 f"médiane {med:.2f} s, max {worst:.2f} s ; {errors}",
                                 f"{med / floor[n]:.1f}× l'application d'un titre ({floor[n]:.2f} s) ; RSS "
                                 f"{peak_rss_mb(pids):.0f} Mo ; charge {os.getloadavg()[0]:.1f}",
                                 "≤ 1,5× à 50 sessions" if n == max(counts) and page in ("dep62", "france") else "—"))
        for setup, (url, _) in setups.items():
            health, lone, whole, normal = storm(url, args.rafale)
            loads.append(os.getloadavg()[0])
            storm_name = f"rafale de {args.rafale:,} relances sur un websocket puis fermeture".replace(",", " ")
            rows.append((f"{storm_name}, {setup}",
                         f"santé de nouveau en {health:.2f} s au plus ; une session seule pendant la rafale : "
                         f"{lone:.2f} s "
                         f"(médiane de 3 ; {'page entière' if whole else 'PAGE INCOMPLÈTE'})",
                         f"la même session, serveur calme : {normal:.2f} s ({lone / normal:.1f}×) ; charge "
                         f"{os.getloadavg()[0]:.1f}", "≤ 5 s ; ≤ 3×"))
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    header = (f"Mesuré le {date.today().isoformat()} sur {machine()} ; charge (load average 1 min) pendant la mesure "
              f"de {min(loads):.1f} à {max(loads):.1f} ; `uptime` à la fin : {uptime}. Client et serveurs sur la "
              "même machine (le client décode aussi les cartes).")
    print(header)
    for row in rows:
        print(" | ".join(row))
    if args.ecrire:
        _write(header, rows)
    return rows


def _write(header: str, rows: list[tuple[str, str, str, str]]) -> None:
    """This benchmark's section in BENCHMARKS.md (the others kept), as bench/run.py writes its sections."""
    from bench.run import _sections

    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    sections = _sections(text)
    title = __doc__.strip().splitlines()[0]
    body = [header, "", "| mesure | résultat | référence dans la même exécution | budget |", "|---|---|---|---|"]
    body += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    sections[title] = "\n".join(body)
    head = text.split("\n## ")[0].rstrip()
    lines = [head, ""]
    for name, content in sections.items():
        lines += [f"## {name}", "", content.strip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
