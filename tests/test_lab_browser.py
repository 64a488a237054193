"""JupyterLab in a real browser: `make lab`'s server, notebook 01 run in headless Chromium.

The test starts the server exactly as `make lab` does (the Makefile's command line,
plus headless options: a free loopback port, a random token), opens notebook 01 in
headless Chromium (Debian's `chromium` package), runs all its cells with JupyterLab's
own "Run All Cells" command, waits until every cell has an execution count, and looks
for the notebook's staircase learning-rate table, as stored in the committed notebook,
in the rendered page. It saves a screenshot of that table to build/lab/notebook01.png.

Chromium is driven over the Chrome DevTools Protocol (a WebSocket, websocket-client).
Everything listens on 127.0.0.1 only; both processes are killed at the end, and the
committed notebook is checked to be unchanged (autosave is off for this server).
Skipped, with the reason, only where Chromium is not installed; in CI (CI=true) a
missing Chromium is a failure.
"""

import base64
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "01_step_vs_epoch_decay.ipynb"
OUTPUT = ROOT / "build" / "lab"
SERVER_TIMEOUT = 90  # seconds for the server to answer
# Seconds for all cells of notebook 01: about a minute at its defaults on an idle 2-core machine;
# LAB_TEST_RUN_TIMEOUT gives a loaded machine more.
RUN_TIMEOUT = int(os.environ.get("LAB_TEST_RUN_TIMEOUT", "480"))
LR_TABLE_HEADER = re.compile(r"^\s*(step|iteration)\s{2,}\S")
# This server only: no autosave (the committed notebook stays as it is), every cell in the DOM,
# no news or update checks (no network).
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}


def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; .ci/run installs it")
        pytest.skip(reason)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def staircase_table():
    """The first learning-rate table notebook 01 prints, as stored in the committed notebook.

    A cell's stdout may be stored as several stream outputs; JupyterLab shows them as one.
    """
    nb = json.loads(NOTEBOOK.read_text())
    for cell in nb["cells"]:
        outputs = cell.get("outputs", [])
        text = "".join("".join(o["text"]) for o in outputs if o.get("name") == "stdout")
        if LR_TABLE_HEADER.match(text):
            return text.rstrip()
    raise AssertionError(f"{NOTEBOOK.name} prints no learning-rate table")


def stop(process):
    """Terminate a process and everything it started (its own session), then make sure."""
    if process.poll() is None:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue


def wait_for(condition, timeout, what, seen=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    last = f"; last state seen: {seen[-1]}" if seen else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}{last}")


class DevTools:
    """The few Chrome DevTools Protocol calls the test needs, over one page's WebSocket."""

    def __init__(self, url):
        import websocket

        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        id_ = next(self.ids)
        self.ws.send(json.dumps({"id": id_, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == id_:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self):
        self.ws.close()


# The open notebook, from JupyterLab's application object: its kernel, and its cells as shown in the page.
PANEL_JS = f"[...window.jupyterapp.shell.widgets('main')].find(w => w.context && w.context.path === '{NOTEBOOK.name}')"
STATE_JS = """(async () => {
  const panel = window.jupyterapp && PANEL_JS;
  if (!panel || !panel.sessionContext) return null;
  await panel.context.ready;
  await panel.sessionContext.ready;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [...panel.node.querySelectorAll('.jp-CodeCell')];
  return {
    path: panel.context.path,
    kernel: kernel ? kernel.id : null,
    status: panel.sessionContext.kernelDisplayStatus,
    prompts: cells.map(c => c.querySelector('.jp-InputPrompt')).map(p => p ? p.textContent.trim() : ''),
    outputs: [...panel.node.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent.trimEnd()),
    stdout: cells.map(c => [...c.querySelectorAll(STDOUT)].map(o => o.textContent).join('').trimEnd()),
  };
})()""".replace("PANEL_JS", PANEL_JS).replace("STDOUT", "'.jp-RenderedText[data-mime-type=\"application/vnd.jupyter.stdout\"]'")
# JupyterLab's notebook commands act on the active notebook.
RUN_JS = (
    "(() => { const app = window.jupyterapp; app.shell.activateById((PANEL_JS).id);"
    " app.commands.execute('%s'); return true; })()"
).replace("PANEL_JS", PANEL_JS)


def test_make_lab_runs_notebook_01_in_chromium(tmp_path):
    browser = chromium()
    expected = staircase_table()
    committed = NOTEBOOK.read_bytes()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    settings = tmp_path / "settings"
    for name, values in SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
    }
    lab_args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --ServerApp.port_retries=0 "
        f"--IdentityProvider.token={token} --LabApp.expose_app_in_browser=True"
    )
    # `make lab` with the test's options; -o: the environment the tests run in is installed already.
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "lab", f"LAB_ARGS={lab_args}"]
    base = f"http://127.0.0.1:{port}"
    with open(OUTPUT / "server.log", "w") as server_log, open(OUTPUT / "chromium.log", "w") as browser_log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        page = chrome = None
        try:
            def server_answers():
                if server.poll() is not None:
                    raise AssertionError(f"`make lab` exited with {server.returncode}: see {OUTPUT / 'server.log'}")
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as response:
                        return response.status == 200
                except OSError:
                    return False

            wait_for(server_answers, SERVER_TIMEOUT, "`make lab`'s server")
            profile = tmp_path / "chromium"
            chrome = subprocess.Popen(
                [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                 f"--user-data-dir={profile}", "--window-size=1400,1600", "about:blank"],
                stdout=browser_log, stderr=subprocess.STDOUT, start_new_session=True,
            )
            active_port = profile / "DevToolsActivePort"
            debug_port = wait_for(lambda: active_port.exists() and active_port.read_text().split("\n")[0],
                                  60, "Chromium's DevTools port")
            with urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/list", timeout=10) as response:
                (target,) = [t for t in json.load(response) if t["type"] == "page"]
            page = DevTools(target["webSocketDebuggerUrl"])
            page.call("Page.enable")
            page.call("Page.navigate", url=f"{base}/lab/tree/{NOTEBOOK.name}?token={token}")

            code_cells = sum(c["cell_type"] == "code" for c in json.loads(committed)["cells"])
            seen = []

            def notebook_ready():
                # Open, every cell shown, and the same kernel idle on two looks in a row.
                state = page.evaluate(STATE_JS)
                seen.append(state)
                ready = state and len(state["prompts"]) == code_cells and state["status"] == "idle"
                return ready and len(seen) > 1 and seen[-2] and seen[-2]["kernel"] == state["kernel"]

            wait_for(notebook_ready, SERVER_TIMEOUT, "notebook 01 open with its kernel idle", seen)
            # The stored outputs go first, so that what is found below comes from this run.
            page.evaluate(RUN_JS % "notebook:clear-all-cell-outputs")
            time.sleep(1)
            state = page.evaluate(STATE_JS)
            assert set(state["prompts"]) == {"[ ]:"}, state["prompts"]
            assert expected not in state["stdout"]
            # Started, not awaited: the command's promise resolves only when every cell has run.
            page.evaluate(RUN_JS % "notebook:run-all-cells")

            def all_cells_ran():
                state = page.evaluate(STATE_JS)
                seen.append(state)
                done = all(re.fullmatch(r"\[\d+\]:", p) for p in state["prompts"])
                return state if done and state["status"] == "idle" else None

            state = wait_for(all_cells_ran, RUN_TIMEOUT, f"all {code_cells} cells of notebook 01 to run", seen)
            prompts = [int(p[1:-2]) for p in state["prompts"]]
            assert prompts == list(range(1, code_cells + 1)), prompts
            assert expected in state["stdout"], f"the staircase table is not in the page:\n{expected}"
            assert not any("Traceback" in o for o in state["outputs"]), "a cell raised"

            # The table on screen, for the record.
            table_cell = state["stdout"].index(expected)
            page.evaluate(f"({PANEL_JS}).node.querySelectorAll('.jp-CodeCell')[{table_cell}].scrollIntoView()")
            time.sleep(1)
            png = base64.b64decode(page.call("Page.captureScreenshot", format="png")["data"])
            assert png.startswith(b"\x89PNG")
            (OUTPUT / "notebook01.png").write_bytes(png)
        finally:
            if page is not None:
                page.close()
            if chrome is not None:
                stop(chrome)
            stop(server)
    assert NOTEBOOK.read_bytes() == committed, "the server changed the committed notebook"
