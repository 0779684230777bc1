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


@pytest.mark.parametrize(
    ("file", "replace", "by", "words"),
    [
        ("regulations/example-rule.yaml", "id: example-rule", "id: ../../etc/passwd", "is not an id"),
        ("agencies.yaml", "- id: legislature", "- id: Legislature\u202e", "is not an id"),
        # (the other hostile values have a broken fixture each: see tests/test_errors.py)
        ("regulations/example-law.yaml", "min: 10000,", "min: 0x" + "f" * 5000 + ",", "integer too long"),
    ],
)
def test_hostile_values_are_data_errors_with_a_place(
    base_copy: Callable[[], Path], file: str, replace: str, by: str, words: str
) -> None:
    root = base_copy()
    path = root / file
    assert replace in path.read_text(), replace
    path.write_text(path.read_text().replace(replace, by, 1))
    if "../" in by:
        path.rename(path.with_name("x.yaml"))  # keep the file-name check out of the way
    with pytest.raises(cnpolicy.DataError) as info:
        cnpolicy.load(root, bundled=False)
    assert words in str(info.value)
    problems = info.value.errors if isinstance(info.value, cnpolicy.DataErrors) else (info.value,)
    assert all(problem.file and problem.line is not None for problem in problems if words in str(problem))


def test_versions_that_supersede_each_other_in_a_cycle_are_refused(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    law = root / "regulations" / "example-law.yaml"
    law.write_text(
        law.read_text().replace(
            "topics: [data]\n", "topics: [data]\nrelations:\n  - {type: supersedes, target: example-rule}\n", 1
        )
    )
    rule = root / "regulations" / "example-rule.yaml"
    rule.write_text(rule.read_text().replace("type: implements", "type: supersedes"))
    with pytest.raises(cnpolicy.DataError, match="versions supersede each other in a cycle"):
        cnpolicy.load(root, bundled=False)


def test_the_cli_escapes_control_sequences_and_never_prints_a_traceback() -> None:
    code, out, err = _cli("search", "\x1b[31mred\x1b[0m")
    assert "\x1b" not in out + err
    for argv in (("list", "events", "--kind", "nope"), ("list", "events", "--since", "0001"), ("search", "x", "--limit", "-1")):
        code, out, err = _cli(*argv)
        assert "Traceback" not in err, argv
        assert code in (0, 1, 2), argv
    assert _cli("list", "events", "--kind", "nope")[0] == 1
    assert _cli("search", "x", "--limit", "-1")[0] == 2


def test_csv_cells_never_start_a_formula() -> None:
    import datetime as dt

    from cnpolicy import export
    from cnpolicy.model import Language, Source, SourceKind

    source = Source(
        id="s",
        title='=HYPERLINK("http://evil")',
        publisher="@SUM(A1)",
        language=Language.EN,
        kind=SourceKind.NEWS,
        last_checked=dt.date(2026, 12, 1),
    )
    row = export.to_csv([source]).splitlines()[1]
    assert row.startswith("s,\"'=HYPERLINK(")
    assert ",'@SUM(A1)," in row


def test_long_queries_are_cut_and_compared_only_with_names_of_a_similar_length() -> None:
    ds = cnpolicy.load()
    assert isinstance(ds.search("网络安全 data " * 100), list)
    with pytest.raises(cnpolicy.NotFoundError) as info:
        ds.lookup("x" * 100_000)
    assert len(info.value.query) <= 200


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_are_right_for_lf_crlf_and_cr_files(base_copy: Callable[[], Path], newline: str) -> None:
    root = base_copy()
    law = root / "regulations" / "example-law.yaml"
    text = law.read_text().replace("kind: law", "kind: statute")
    law.write_bytes(text.replace("\n", newline).encode())
    with pytest.raises(cnpolicy.SchemaError) as info:
        cnpolicy.load(root, bundled=False)
    assert info.value.line == 4


def test_many_near_miss_references_get_a_bounded_number_of_suggestions(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    law = root / "regulations" / "example-law.yaml"
    misses = ", ".join(f"legislatur{i}" for i in range(300))
    law.write_text(law.read_text().replace("issued_by: [legislature]", f"issued_by: [{misses}]"))
    with pytest.raises(cnpolicy.DataErrors) as info:
        cnpolicy.load(root, bundled=False)
    dangling = [e for e in info.value.errors if "unknown agency" in str(e)]
    assert len(dangling) == 300
    assert 0 < sum("did you mean" in str(e) for e in dangling) <= 50


def test_no_filter_is_ignored_by_the_cli() -> None:
    code, out, err = _cli("list", "events", "--jurisdiction", "US")
    assert code == 2
    assert "list events does not filter by --jurisdiction" in err
    assert out == ""


def test_days_may_be_iso_text_and_anything_else_is_an_argument_error() -> None:
    ds = cnpolicy.load()
    profile = ds.profile(cii_operator=True)
    as_text = [a.obligation.id for a in ds.obligations_for(profile, "2024-01-01")]
    import datetime as dt

    assert as_text == [a.obligation.id for a in ds.obligations_for(profile, dt.date(2024, 1, 1))]
    with pytest.raises(cnpolicy.ArgumentError, match="expected a day"):
        ds.obligations_for(profile, "soon")


def test_verdicts_and_changes_export_to_csv_with_their_caveats_and_best_source() -> None:
    import csv

    from cnpolicy import export

    ds = cnpolicy.load()
    found = ds.obligations_for(ds.profile(personal_info_handler=True, personal_info_subjects=5), "2023-01-01", regulation="pipl")
    rows = list(csv.DictReader(io.StringIO(export.to_csv(found))))
    assert [r["obligation"] for r in rows] == [a.obligation.id for a in found]
    assert any(r["caveats"] for r in rows)
    assert all(r["best_source_tier"] in ("official", "reputable", "copy") for r in rows)
    changes = ds.changes_for(ds.profile(cii_operator=True), "2025-12-01", "2026-02-01", regulation="csl")
    changed = [r for r in csv.DictReader(io.StringIO(export.to_csv(changes))) if r["change"].startswith("changed")]
    assert len(changed) == len(changes.changed)


def test_show_finds_a_fact_by_name() -> None:
    code, out, _ = _cli("show", "network_operator")
    assert code == 0
    assert "name: network_operator" in out


def test_global_options_work_before_or_after_the_command() -> None:
    before = _cli("--json", "search", "PIPL", "--limit", "1")
    after = _cli("search", "PIPL", "--limit", "1", "--json")
    assert before == after
    assert before[1].lstrip().startswith("[")
