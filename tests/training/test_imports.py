"""The modules of training/ import each other without cycles (lazy imports inside functions
count too: a cycle hidden in a function is still a cycle)."""

import ast
from pathlib import Path

TRAINING = Path(__file__).resolve().parents[2] / "training"


def _imports(path: Path) -> set[str]:
    """The training modules `path` imports, anywhere in the file."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "training":
                out |= {a.name for a in node.names}
            elif node.module.startswith("training."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("training.")}
    return out


def test_training_modules_import_each_other_without_cycles():
    graph = {p.stem: _imports(p) for p in TRAINING.glob("*.py")}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' -> '.join((*path, module))}"
        if module in done:
            return
        for other in sorted(graph.get(module, ())):
            visit(other, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
