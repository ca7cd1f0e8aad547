"""ruff, mypy and the import contracts are part of the suite: main stays lint- and type-clean and keeps its layers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_tool(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run_tool("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    """The layer rule of pyproject.toml's [tool.importlinter] (e.g. no Qt in the core, no adapter in the domain)."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


SPAWNS = {
    "asyncio": {"create_subprocess_exec", "create_subprocess_shell"},
    "subprocess": {"Popen", "run", "call", "check_call", "check_output"},
}


def test_every_child_process_gets_the_environment_without_secrets() -> None:
    """Each place the app starts a program passes `env=` (child_environment): a spawn that inherits
    os.environ hands ffmpeg or ffprobe the S3 key and the operator's proxy for loopback links."""
    inheriting = []
    for path in sorted([*ROOT.glob("video_streaming/**/*.py"), *ROOT.glob("vidstream_desktop/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner = node.func.value
            module = owner.id if isinstance(owner, ast.Name) else ""
            passes_env = any(keyword.arg == "env" for keyword in node.keywords)
            if node.func.attr in SPAWNS.get(module, ()) and not passes_env:
                inheriting.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not inheriting, f"child processes started without env=: {inheriting}"
