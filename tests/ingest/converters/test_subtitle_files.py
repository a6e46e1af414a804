"""Transcripts: broken timings are reported, never dropped in silence; text is unescaped once."""

from __future__ import annotations

import pytest

from ingest.converters.base import ConversionError
from ingest.converters.subtitle_files import convert_srt, convert_vtt

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v แม่สมศรี>ปลาร้าต้องหมักกับเกลือ &amp; รำข้าว &lt;สามเดือน&gt;

-00:00:02.000 --> 00:00:05.000
<v แม่สมศรี>ท่อนนี้เวลาติดลบ

00:00:06.000 --> 00:00:09.500
<v ผู้สัมภาษณ์>หมักในไหหรือในถังคะ
"""


def test_vtt_cues_with_negative_timestamps_are_reported_not_dropped_silently():
    (item,) = convert_vtt(VTT.encode())
    assert [cue["start"] for cue in item.cues] == [1.0, 6.0]
    assert item.notes == ["line 6: cue skipped, its timestamp -00:00:02.000 is negative"]


def test_vtt_entities_are_decoded_once():
    (item,) = convert_vtt(VTT.encode())
    assert item.cues[0]["text"] == "ปลาร้าต้องหมักกับเกลือ & รำข้าว <สามเดือน>"
    assert "&amp;" not in item.content and "&lt;" not in item.content


def test_vtt_unreadable_timing_is_reported():
    (item,) = convert_vtt(VTT.replace("00:00:06.000", "00:00:ab.000").encode())
    assert any("line 9" in note and "'00:00:ab.000' cannot be read" in note for note in item.notes)


def test_cue_that_ends_before_it_starts_refuses_the_file_naming_the_cue():
    backwards = VTT.replace("00:00:06.000 --> 00:00:09.500", "00:00:09.500 --> 00:00:06.000")
    with pytest.raises(
        ConversionError, match=r"cue 2 \('หมักในไหหรือในถังคะ'\) ends at 6.0 s, before it starts at 9.5 s"
    ):
        convert_vtt(backwards.encode())


def test_srt_negative_and_backwards_cues_too():
    srt = "1\n00:00:01,000 --> 00:00:02,000\nแม่สมศรี: ปลาร้า\n\n2\n-00:00:03,000 --> 00:00:04,000\nติดลบ\n"
    (item,) = convert_srt(srt.encode())
    assert len(item.cues) == 1 and item.notes == [
        "line 6: cue skipped, its timestamp -00:00:03,000 is negative"
    ]
    with pytest.raises(ConversionError, match="before it starts"):
        convert_srt(b"1\n00:00:05,000 --> 00:00:02,000\nx: y\n")


def test_a_transcript_of_only_negative_cues_says_why_it_is_empty():
    with pytest.raises(ConversionError, match="no cues.*negative"):
        convert_vtt(b"WEBVTT\n\n-00:00:01.000 --> 00:00:02.000\nx\n")
