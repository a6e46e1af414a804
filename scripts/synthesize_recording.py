"""Make a transcript's recording with espeak-ng, each cue spoken inside its own timecodes.

    python scripts/synthesize_recording.py corpora/oral_histories/saijai-khao-lam-nong-mon.vtt \
        corpora/oral_histories/audio/saijai-khao-lam-nong-mon.wav

Each cue is synthesised on its own (Thai voice), sped up until it fits between its start and
end, and placed at its start in silence; the file is mono 8 kHz 8-bit PCM WAV (about 8 KB per
second: small enough to ship in the repository, and every browser plays it). Only to remake the
shipped recording: needs the Debian package espeak-ng (``apt-get install espeak-ng``), which
neither ``make run`` nor ``make test`` installs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.converters.subtitle_files import convert_vtt  # noqa: E402

RATE = 8000
SPEEDS = (150, 165, 180, 200, 225, 250, 280)  # words per minute, tried in turn until a cue fits


def speak(text: str, speed: int) -> np.ndarray:
    """The cue spoken by espeak-ng, as float samples at RATE."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        subprocess.run(["espeak-ng", "-v", "th", "-s", str(speed), "-w", out.name, text], check=True)
        with wave.open(out.name) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).astype(np.float64)
    samples /= 32768.0
    # low-pass (a moving average) before taking every RATE/rate-th sample, so nothing folds back
    width = max(1, round(rate / RATE))
    smoothed = np.convolve(samples, np.ones(width) / width, mode="same")
    positions = np.arange(0, len(smoothed) - 1, rate / RATE)
    return np.interp(positions, np.arange(len(smoothed)), smoothed)


def synthesize(transcript: Path, output: Path) -> list[tuple[float, float, float]]:
    """Write the recording; returns (start, end, spoken seconds) per cue."""
    cues = convert_vtt(transcript.read_bytes())[0].cues
    total = np.zeros(int((cues[-1]["end"] + 0.5) * RATE))
    placed = []
    for cue in cues:
        start, end, text = cue["start"], cue["end"], cue["text"]
        room = end - start
        for speed in SPEEDS:
            voice = speak(text, speed)
            if len(voice) / RATE <= room:
                break
        else:
            raise SystemExit(f"cue at {start}s does not fit in {room:.1f}s even at {SPEEDS[-1]} wpm")
        begin = int(start * RATE)
        total[begin : begin + len(voice)] += voice
        placed.append((start, end, round(len(voice) / RATE, 2)))
    peak = np.max(np.abs(total)) or 1.0
    pcm = np.clip(total / peak * 0.9 * 127 + 128, 0, 255).astype(np.uint8)  # 8-bit WAV is unsigned
    output.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(output), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(RATE)
        wav.writeframes(pcm.tobytes())
    return placed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transcript", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    for start, end, spoken in synthesize(args.transcript, args.output):
        print(f"{start:6.2f} → {end:6.2f}  spoken {spoken:.2f} s")
    print(f"{args.output}: {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
