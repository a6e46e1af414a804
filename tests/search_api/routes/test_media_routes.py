"""Recordings: kept beside their transcripts, played from the moment a result points at."""

from __future__ import annotations

import json
import shutil
import wave

from panya.ingestion import ingest_path
from tests.conftest import CORPORA


def silent_wav(path, seconds: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(1)
        recording.setframerate(1000)
        recording.writeframes(b"\x80" * 1000 * seconds)


def transcript_with_recording(folder, stem, access="public"):
    for path in CORPORA.glob(f"oral_histories/{stem}.*"):
        shutil.copy2(path, folder / path.name)
    sidecar = folder / f"{stem}.meta.json"
    meta = json.loads(sidecar.read_text()) | {"audio": f"audio/{stem}.wav", "access": access}
    sidecar.write_text(json.dumps(meta, ensure_ascii=False))
    silent_wav(folder / "audio" / f"{stem}.wav", seconds=900)


def test_recording_is_kept_linked_and_served_at_the_passage(writable_client, tmp_path):
    corpus = tmp_path / "corpus" / "oral_histories"
    corpus.mkdir(parents=True)
    transcript_with_recording(corpus, "bualai-pla-daek")
    transcript_with_recording(corpus, "sithon-mor-ya", access="restricted")
    report = ingest_path(writable_client.app.state.archive, tmp_path / "corpus", progress=False)
    assert report.ok  # the .wav files are attachments, not failed sources

    source = writable_client.get("/api/sources/oral_histories/bualai-pla-daek.vtt").json()
    assert source["audio_url"] == "/media/oral_histories/audio/bualai-pla-daek.wav"
    played = writable_client.get(source["audio_url"])
    assert played.status_code == 200 and played.content[:4] == b"RIFF"

    hit = writable_client.get("/api/search", params={"q": "ปลาแดก", "type": "oral_history"}).json()[
        "results"
    ][0]
    moment = {"chunk": hit["chunk_index"], "t": hit["start"], "until": hit["end"]}
    page = writable_client.get(f"/sources/{hit['source_id']}", params=moment).text
    assert f'src="/media/oral_histories/audio/bualai-pla-daek.wav#t={hit["start"]}"' in page

    # with a recording kept, the result offers to listen; without one, to read the moment
    results = writable_client.get("/", params={"q": "ปลาแดก"}).text
    assert "ฟังช่วงนี้" in results and "ดูช่วงนี้ในบันทึก" not in results

    # a restricted interview's recording is as hidden as its transcript
    assert writable_client.get("/media/oral_histories/audio/sithon-mor-ya.wav").status_code == 404
    assert writable_client.get("/media/../../etc/passwd").status_code == 404
