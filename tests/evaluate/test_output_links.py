"""An analysis never writes through a symbolic link found in its output directory."""

import pytest

from cli_support.errors import FileError
from evaluate.outputs import write_outputs


@pytest.mark.parametrize("linked", ["a.csv", "sub"])
def test_a_symlink_where_a_file_or_folder_goes_is_refused_and_its_target_untouched(
    linked, tmp_path
):
    victim_dir = tmp_path / "elsewhere"
    victim_dir.mkdir()
    victim = victim_dir / "precious.csv"
    victim.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / linked).symlink_to(victim if linked == "a.csv" else victim_dir)
    with pytest.raises(FileError, match="symbolic link"):
        write_outputs(out, {"a.csv": "new", "sub/precious.csv": "new"})
    assert victim.read_bytes() == b"precious" and (out / linked).is_symlink()
    assert sorted(path.name for path in victim_dir.iterdir()) == ["precious.csv"]
