"""The bundled data loads from a wheel in a fresh virtualenv, an editable install and a plain checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = "import cnpolicy, pathlib; ds = cnpolicy.load(); print(len(ds.regulations), pathlib.Path(cnpolicy.__file__).parent)"

pytestmark = pytest.mark.skipif(os.environ.get("CNPOLICY_SKIP_PACKAGING") == "1", reason="CNPOLICY_SKIP_PACKAGING=1")


def _expected() -> int:
    return len(list((ROOT / "data" / "regulations").glob("*.yaml")))


def _venv(path: Path) -> Path:
    """A fresh virtualenv that sees this environment's installed dependencies, with no network needed.

    A ``.pth`` line appends this environment's site-packages after the venv's own, so whatever is
    installed into the venv (the wheel under test) comes first; ``.pth`` files over there (such as an
    editable cnpolicy) are not processed.
    """
    venv.EnvBuilder(with_pip=True).create(path)
    python = path / "bin" / "python"
    inner = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    outer = [p for p in sys.path if p.endswith("site-packages")]
    Path(inner, "outer-env.pth").write_text("\n".join(outer) + "\n")
    return python


def _run(python: Path | str, *args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    done = subprocess.run([str(python), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_plain_checkout(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    ).stdout
    count, where = out.split()
    assert int(count) == _expected()
    assert Path(where) == ROOT / "src" / "cnpolicy"


def test_wheel_in_fresh_virtualenv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT), cwd=tmp_path)
    [wheel] = dist.glob("cnpolicy-*.whl")
    python = _venv(tmp_path / "venv")
    _run(python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel), cwd=tmp_path)
    count, where = _run(python, "-c", CHECK, cwd=tmp_path).split()
    assert int(count) == _expected()
    assert "site-packages" in where
    assert (Path(where) / "data" / "facts.yaml").is_file()
    assert (Path(where) / "py.typed").is_file()
    # the README's main job works from the wheel alone: the example profile ships with it
    report = _run(
        python, "-m", "cnpolicy", "report", "--profile", "example:platform-operator", "--on", "2022-03-01", cwd=tmp_path
    )
    assert report.startswith("# Obligations of platform-operator on 2022-03-01\n")
    # an installed package reads its own snapshot as it is: a lookup needs neither pathlib nor the YAML
    light = "import sys, cnpolicy; cnpolicy.load().lookup('PIPL'); print(sorted({'pathlib', 'yaml', 'cattrs'} & {*sys.modules}))"
    assert _run(python, "-c", light, cwd=tmp_path).strip() == "[]"


def test_editable_install(tmp_path: Path) -> None:
    source = tmp_path / "checkout"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "dist", "build", "__pycache__"))
    python = _venv(tmp_path / "venv")
    _run(python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", "-e", str(source), cwd=tmp_path)
    count, where = _run(python, "-c", CHECK, cwd=tmp_path).split()
    assert int(count) == _expected()
    assert Path(where) == source / "src" / "cnpolicy"
