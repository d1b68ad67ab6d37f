# A plain Python re-implementation of the authors' statistics script, as the CLI's `table` is measured
# against (docs/benchmark.md): per file name present in both folders, real split by id (<= 922 exocentric),
# synthetic split by the "no ..." false-positive ground truth, correct / total * 100 rounded to 2 decimals,
# written as pandas' to_csv writes floats. Usage: python3 bench/authors_table.py REAL_DIR SYNTHETIC_DIR
import json
import os
import sys


def is_correct(v):
    return v is True or (isinstance(v, str) and v.strip().lower() == "true")


def pct(c, t):
    return round(c / t * 100, 2) if t else 0


def main(real_dir, synth_dir):
    print("Model (JSON File),Real Ego-centric Accuracy (%),Real Exo-centric Accuracy (%),Real Overall Accuracy (%),"
          "Synthetic Directional Accuracy (%),Synthetic FP Accuracy (%),Synthetic Overall Accuracy (%),Overall Accuracy (%)")
    for name in sorted(os.listdir(real_dir)):
        if not name.endswith(".json") or not os.path.exists(os.path.join(synth_dir, name)):
            continue
        with open(os.path.join(real_dir, name), encoding="utf-8") as f:
            real = json.load(f)
        with open(os.path.join(synth_dir, name), encoding="utf-8") as f:
            synth = json.load(f)
        c = {k: [0, 0] for k in ("exo", "ego", "dir", "fp")}
        for r in real:
            k = "exo" if int(r["id"].split("_")[-1]) <= 922 else "ego"
            c[k][0] += is_correct(r["correct"])
            c[k][1] += 1
        for r in synth:
            a = str(r["ground_truth_answer"]).strip().lower()
            k = "fp" if a == "no" or a.startswith("no ") else "dir"
            c[k][0] += is_correct(r["correct"])
            c[k][1] += 1
        s = lambda *ks: (sum(c[k][0] for k in ks), sum(c[k][1] for k in ks))
        row = [pct(*c["ego"]), pct(*c["exo"]), pct(*s("exo", "ego")), pct(*c["dir"]), pct(*c["fp"]),
               pct(*s("fp", "dir")), pct(*s("exo", "ego", "fp", "dir"))]
        print(",".join([name] + [repr(float(x)) for x in row]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
