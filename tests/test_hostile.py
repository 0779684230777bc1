"""Hostile input, round two: no trusted tampering, no silent loss, no hang, no crash (issue #13)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy import _load, _snapshot
from cnpolicy.cli import main


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_user_folder_cache_is_off_by_default(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    cnpolicy.load(root, bundled=False)
    entry, _ = _load._cache_entry(root)
    assert not entry.exists()


def test_the_environment_turns_the_cache_on(base_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNPOLICY_CACHE", "1")
    root = base_copy()
    cnpolicy.load(root, bundled=False)
    entry, _ = _load._cache_entry(root)
    assert entry.is_file()


def test_validate_never_reads_a_cache(base_copy: Callable[[], Path]) -> None:
    """A poisoned cache entry under the key of a broken folder cannot make validate say ok."""
    root = base_copy()
    good = cnpolicy.load(root, bundled=False, cache=True).to_records()
    law = root / "regulations" / "example-law.yaml"
    law.write_text(law.read_text() + "\n  bad: [unclosed\n")
    entry, key = _load._cache_entry(root)
    assert _snapshot.write_snapshot(entry, good, key)  # planted under the broken folder's key
    code, out, err = _cli("validate", str(root))
    assert code == 1
    assert "invalid YAML" in err
    assert "ok" not in out


def test_a_cache_entry_that_fails_a_check_is_deleted(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    cnpolicy.load(root, bundled=False, cache=True)
    entry, _ = _load._cache_entry(root)
    entry.write_text(entry.read_text().replace('"modality":"must"', '"modality":"shall"', 1))
    cnpolicy.load(root, bundled=False, cache=True)  # the entry fails structuring: rebuilt from the YAML
    assert '"modality":"shall"' not in entry.read_text()


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_an_empty_data_file_is_an_error_naming_it(base_copy: Callable[[], Path], text: str) -> None:
    root = base_copy()
    (root / "regulations" / "example-rule.yaml").write_text(text)
    with pytest.raises(cnpolicy.DataError, match="holds no records") as info:
        cnpolicy.load(root, bundled=False)
    assert str(info.value).count("example-rule.yaml") >= 1


def test_a_dangling_symlink_named_yaml_is_an_error(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    os.symlink(root / "nowhere.yaml", root / "regulations" / "ghost.yaml")
    with pytest.raises(cnpolicy.DataError, match=r"ghost\.yaml: a symbolic link to a missing file"):
        cnpolicy.load(root, bundled=False)


def test_a_directory_or_fifo_named_yaml_is_refused_unread(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    (root / "regulations" / "folder.yaml").mkdir()
    (root / "events").mkdir(exist_ok=True)
    os.mkfifo(root / "events" / "2020.yaml")  # reading a FIFO would block for ever
    with pytest.raises(cnpolicy.DataError) as info:
        cnpolicy.load(root, bundled=False)
    assert "folder.yaml: cannot read: it is a directory" in str(info.value)
    assert "2020.yaml: cannot read: it is not a regular file" in str(info.value)


def test_a_huge_sparse_file_is_refused_before_it_is_read(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    with (root / "regulations" / "huge.yaml").open("wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GiB of holes: reading it would need 3 GiB of memory
    with pytest.raises(cnpolicy.DataError, match=r"huge\.yaml: file is larger than"):
        cnpolicy.load(root, bundled=False)


def test_a_profile_from_a_device_is_a_clear_error() -> None:
    code, _, err = _cli("obligations", "--profile", "/dev/zero", "--on", "2022-01-01")
    assert code == 1
    assert "cannot read profile: cannot read: it is not a regular file" in err
    assert "Traceback" not in err
