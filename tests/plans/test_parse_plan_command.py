"""The ``parse_plan`` management command: JSON on stdout, CommandError on bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantoa.plans.parser import parse_plan_file

# The seed plan as given (../shared/seed beside the repository, as CI lays it out); the repository keeps an
# identical copy for the demo, used when shared/ is absent (test_repo_copy_of_the_seed_is_identical checks it).
SHARED_SEED = Path(__file__).resolve().parents[2].parent / "shared/seed/000_9798a5940c59c485.txt"
REPO_SEED = Path(__file__).resolve().parents[2] / "lantoa/plans/demo_data/ke-hoach-57-xa-nam-cuong-2026.txt"
SEED = SHARED_SEED if SHARED_SEED.exists() else REPO_SEED
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _run(path) -> str:
    stdout = io.StringIO()
    call_command("parse_plan", str(path), stdout=stdout)
    return stdout.getvalue()


def test_prints_the_parsed_plan_as_json():
    output = _run(SEED)
    assert json.loads(output) == parse_plan_file(SEED)
    assert "Lường Văn Toàn" in output  # ensure_ascii=False keeps Vietnamese readable
    assert '\n  "groups": [' in output  # indent=2


def test_warnings_are_part_of_the_output():
    plan = json.loads(_run(FIXTURES / "xa_dong_phu.txt"))
    assert plan["warnings"] and plan["warnings"][0].startswith("Nhãn không nhận diện được")


def test_unreadable_file_raises_command_error(tmp_path):
    path = tmp_path / "ke_hoach.rtf"
    path.write_text("không hỗ trợ", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Định dạng tệp không được hỗ trợ \(chỉ \.txt, \.docx, \.doc, \.odt, \.pdf"):
        _run(path)
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Không tìm thấy nội dung văn bản"):
        _run(empty)
