"""R_f against depth under both averages over probes, for the trained nets of a study (claim 6 of docs/reproduction.md).

The study measures every layer with the authors' output protocol: per unit, the median over probes of the squared
change, summed over units. In sparse ReLU layers those medians are of mostly-zero columns, which can decide the depth
profile. This script re-measures the study's trained nets (their model folders under the study's runs/) with
`diffeo measure --average median` and `--average mean`, same probes, cut and delta as the study, and prints per
architecture the per-layer R_f (geometric mean over seeds) and the slope of ln R_f against relative depth with a
bootstrap 95% interval over seeds, for each average.

Usage: python3 tools/depth_average_check.py --jar cli/target/diffeo.jar --data TEST_IMAGES --cells CELLS.jsonl[,...]
           --runs STUDY_OUT[,STUDY_OUT...] --arch resnet=16384,vgg-bn=16384 [--probes 500] [--threads 1] [--out DIR]
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np


def measure(jar, model, data, layers, average, probes, threads, out, norm):
    if not os.path.exists(os.path.join(out, 'stability.json')):
        cmd = ['java', '-jar', jar, 'measure', '--model', model, '--data', data, '--layer', ','.join(layers),
               '--probes', str(probes), '--cut', '3', '--delta', '1', '--average', average, '--threads', str(threads), '--out', out]
        if norm:
            cmd += ['--mean', ','.join(map(str, norm['mean'])), '--std', ','.join(map(str, norm['std']))]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode not in (0, 1):  # 1: some layer's R_f undefined (written as null): kept and reported
            sys.exit(f'error: measure failed on {model}: {r.stderr.strip()[-500:]}')
    res = json.load(open(os.path.join(out, 'stability.json')))['results'][0]
    per = {l: res['layers'][l]['R']['logmean'] for l in layers}
    per['output'] = res['R']['logmean']
    return per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--jar', required=True)
    ap.add_argument('--data', required=True)
    ap.add_argument('--cells', required=True)
    ap.add_argument('--runs', required=True)
    ap.add_argument('--arch', required=True, help='arch=P,arch=P')
    ap.add_argument('--probes', type=int, default=500)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', default='depth-average-check')
    ap.add_argument('--resamples', type=int, default=2000)
    a = ap.parse_args()
    cells = [json.loads(l) for f in a.cells.split(',') for l in open(f) if l.strip()]
    want = dict((k, int(v)) for k, v in (x.split('=') for x in a.arch.split(',')))
    rng = np.random.default_rng(7)
    for arch, p in want.items():
        cs = sorted((c for c in cells if c['arch'] == arch and c['train_size'] == p), key=lambda c: c['seed'])
        if not cs:
            sys.exit(f'error: --arch {arch}={p}: no cell of that architecture and size in --cells')
        layers = list(cs[0]['layers'])
        depth = [cs[0]['layers'][l]['relative_depth'] for l in layers] + [1.0]
        print(f'\n{arch} P = {p}, seeds {[c["seed"] for c in cs]}, converged {[c["fit"]["converged"] for c in cs]}')
        for average in ('median', 'mean'):
            rows = []
            for c in cs:
                model = next((os.path.join(r, c['model']) for r in a.runs.split(',') if os.path.isdir(os.path.join(r, c['model']))), None)
                if model is None:
                    sys.exit(f'error: --runs: no folder holds {c["model"]}')
                norm = json.load(open(os.path.join(model, 'model.json'))).get('normalise')
                out = os.path.join(a.out, f'{arch}-P{p}-s{c["seed"]}-{average}')
                per = measure(a.jar, model, a.data, layers, average, a.probes, a.threads, out, norm)
                rows.append([per[l] for l in layers + ['output']])
            ok = [i for i in range(len(depth)) if all(r[i] is not None and r[i] > 0 for r in rows)]
            left = [(layers + ['output'])[i] for i in range(len(depth)) if i not in ok]

            def slope(rs):
                y = [np.mean([math.log(r[i]) for r in rs]) for i in ok]
                return float(np.polyfit([depth[i] for i in ok], y, 1)[0])

            s = slope(rows)
            b = sorted(slope([rows[j] for j in rng.integers(0, len(rows), len(rows))]) for _ in range(a.resamples))
            lo, hi = b[int(0.025 * len(b))], b[int(0.975 * len(b)) - 1]
            prof = ', '.join(f'{(layers + ["output"])[i]} {math.exp(np.mean([math.log(r[i]) for r in rows])):.3g}' for i in ok)
            verdict = 'falls' if hi < 0 else ('rises' if lo > 0 else 'flat within the interval')
            print(f'  {average:6s} slope {s:+.3f} [{lo:+.3f}, {hi:+.3f}] {verdict}; {prof}'
                  + (f'; undefined: {", ".join(left)}' if left else ''))


if __name__ == '__main__':
    main()
