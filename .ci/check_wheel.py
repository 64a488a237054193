"""The built wheel holds the lrhelpers package only, at the package's version.

    python .ci/check_wheel.py DIST_DIR

Fails unless DIST_DIR holds exactly one lrhelpers wheel whose files are lrhelpers/*.py
(every module of the source tree) and its .dist-info, and whose metadata version is
lrhelpers.__version__ as written in the source.
"""

import ast
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def source_version():
    tree = ast.parse((ROOT / "lrhelpers" / "__init__.py").read_text())
    (value,) = [ast.literal_eval(s.value) for s in tree.body
                if isinstance(s, ast.Assign) and [t.id for t in s.targets if isinstance(t, ast.Name)] == ["__version__"]]
    return value


def main(dist):
    (wheel,) = Path(dist).glob("lrhelpers-*.whl")
    version = source_version()
    names = zipfile.ZipFile(wheel).namelist()
    info = f"lrhelpers-{version}.dist-info/"
    package = sorted(n for n in names if not n.startswith(info))
    expected = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "lrhelpers").rglob("*.py"))
    assert package == expected, f"{wheel.name}: files other than the package's modules: {sorted(set(package) ^ set(expected))}"
    assert {n.split("/", 1)[1] for n in names if n.startswith(info)} >= {"METADATA", "RECORD", "WHEEL"}
    metadata = Parser().parsestr(zipfile.ZipFile(wheel).read(info + "METADATA").decode())
    assert metadata["Name"] == "lrhelpers" and metadata["Version"] == version, (metadata["Name"], metadata["Version"])
    print(f"{wheel.name}: {len(package)} package files + {info}, version {version}")


if __name__ == "__main__":
    main(sys.argv[1])
