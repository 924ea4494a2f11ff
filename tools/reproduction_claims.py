"""The paper's claims checked on a study's cells (issue 20, docs/reproduction.md): every number with a bootstrap
95% interval over seeds, and a verdict by a rule written out below (not by eye).

Reads one or more cells.jsonl files (a merged study, or shards: cells are keyed, duplicates must agree and are
kept once) and prints a Markdown report. Only cells marked converged enter a claim unless --all is given; each
claim says how many cells it used and how many it left out.

Usage: python3 tools/reproduction_claims.py CELLS.jsonl [MORE.jsonl ...] [--all] [--resamples 2000] [--seed 7]

The rules (each claim: the statistic, its interval, the verdict):
 1 init      R_f at initialisation, geometric mean over the cells of an architecture: "reproduced" when the
             interval lies in [0.5, 2] (the paper: R_f ~ 1, Fig. 3 left), "contradicted" when it excludes it.
 2 P-scan    slope of ln R_f (trained) against ln P over P >= 1024 (the paper: R_f falls past P ~ 10^3 for the
             residual and EfficientNet nets, near 1/P in a range): "falls" when the slope's interval is below 0;
             "near 1/P" when it also contains -1 or lies below -0.7; "rises" when above 0; otherwise "flat".
 3 FC/LeNet  R_f (trained) of fc-like and LeNet nets at every P: "reproduced" when the lower end of every
             interval is above 1.
 4 G_f(P)    slope of ln G_f (trained) against ln P over all P: "reproduced" (grows, Fig. 6) when the interval is
             above 0.
 5 eps-R     ln eps_t = ln a + b ln R_f across architectures at the largest P (one point per architecture, the
             geometric mean over seeds; bootstrap resamples seeds): "reproduced" when corr's interval is above 0.8
             and b's interval overlaps [0.35, 0.65] (the paper: b ~ 1/2, corr 0.97 over 15 nets, Fig. 5).
 6 depth     slope of ln R_f (trained) against the layer's relative depth, per architecture, at the largest P
             (Fig. 14: R_f falls with depth after training): "reproduced" when the interval is below 0.
 7 training  ln(R_f at the last measurement during training / R_f at initialisation), per architecture at the
             largest P: "falls" when the interval is below 0; the paper's "several decades" needs <= ln(0.1).
"""
import argparse
import json
import math
import sys
from collections import defaultdict

import numpy as np


def load(paths, all_cells):
    cells, skipped = {}, []
    for p in paths:
        for line in open(p):
            if not line.strip():
                continue
            c = json.loads(line)
            k = c['key']
            if k in cells and cells[k]['trained'] != c['trained']:
                sys.exit(f'error: cell {k} appears twice with different results ({p})')
            cells[k] = c
    kept = []
    # In key order, so the report (its bootstrap draws, the order of architectures, which of two identical nets is
    # kept) is the same whether the cells come from the shard folders or from the merged study.
    for c in sorted(cells.values(), key=lambda c: c['key']):
        r = c['trained']['R']
        if r is None or not math.isfinite(r) or r <= 0:  # undefined R_f (null in the cells: G_f = 0 at the output)
            skipped.append(c)
            continue
        if all_cells or c.get('fit', {}).get('converged', True):
            kept.append(c)
        else:
            skipped.append(c)
    return kept, skipped


def twins(cells):
    """Architectures whose cells are identical (same key apart from the architecture, same trained results) at
    every (dataset, P, seed) they share, mapped to the first of them: e.g. lenet and lenet-paper on 1x28x28."""
    res = defaultdict(dict)
    for c in cells:
        res[c['arch']][(c['dataset'], c['train_size'], c['seed'], c['cut'], c['delta'])] = (c['trained']['D'], c['trained']['G'])
    names, out = list(res), {}
    for i, a in enumerate(names):
        for b in names[:i]:
            if b in out:
                continue
            shared = res[a].keys() & res[b].keys()
            if len(shared) >= 3 and all(res[a][k] == res[b][k] for k in shared):
                out[a] = b
                break
    return out


def by(cells, *keys):
    out = defaultdict(list)
    for c in cells:
        out[tuple(c[k] for k in keys)].append(c)
    return out


def ci(samples):
    s = np.sort(np.asarray(samples))
    return float(np.quantile(s, 0.025)), float(np.quantile(s, 0.975))


def boot_groups(groups, stat, rng, n):
    """groups: list of lists of values (one list per x point, values over seeds); resample each group apart."""
    out = []
    for _ in range(n):
        out.append(stat([[g[i] for i in rng.integers(0, len(g), len(g))] for g in groups]))
    return out


def gmean(v):
    return math.exp(sum(math.log(x) for x in v) / len(v))


def slope(xs, ys):
    x, y = np.log(xs), np.log(ys)
    return float(np.polyfit(x, y, 1)[0])


def fmt(x, lo, hi, p=3):
    return f'{x:.{p}g} [{lo:.{p}g}, {hi:.{p}g}]'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cells', nargs='+')
    ap.add_argument('--all', action='store_true', help='use unconverged cells too')
    ap.add_argument('--resamples', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    cells, skipped = load(a.cells, a.all)
    n = a.resamples
    archs = sorted({c['arch'] for c in cells}, key=lambda s: [c['arch'] for c in cells].index(s))
    same = twins(cells)
    for a_, b_ in same.items():
        print(f'{a_} and {b_} are one network here: every cell they share has the same trained R_f, D_f and G_f '
              f'(same layers and initialisation on this input size); the cross-architecture fit (claim 5) counts it once.\n')
    print(f'{len(cells)} cells used, {len(skipped)} left out as not converged or with undefined R_f'
          + (f' ({", ".join(sorted({c["arch"] + " P=" + str(c["train_size"]) for c in skipped}))})' if skipped else '') + '.\n')

    print('## 1. R_f at initialisation (geometric mean over P and seeds)\n')
    print('| arch | cells | R_f init | verdict |\n| --- | ---: | --- | --- |')
    for arch in archs:
        v = [c['init']['R'] for c in cells if c['arch'] == arch]
        b = [gmean([v[i] for i in rng.integers(0, len(v), len(v))]) for _ in range(n)]
        lo, hi = ci(b)
        verdict = 'reproduced' if 0.5 <= lo and hi <= 2 else ('contradicted' if hi < 0.5 or lo > 2 else 'unclear')
        print(f'| {arch} | {len(v)} | {fmt(gmean(v), lo, hi)} | {verdict} |')

    def p_scan(field, pmin, title, rule):
        print(f'\n## {title}\n')
        print('| arch | P range | seeds per P | slope | verdict |\n| --- | --- | --- | --- | --- |')
        for arch in archs:
            g = by([c for c in cells if c['arch'] == arch and c['train_size'] >= pmin], 'train_size')
            ps = sorted(k[0] for k in g)
            if len(ps) < 2:
                print(f'| {arch} | {ps} | | too few sizes | not visible |')
                continue
            groups = [[c['trained'][field] for c in g[(p,)]] for p in ps]
            stat = lambda gs: slope(ps, [gmean(x) for x in gs])
            s = stat(groups)
            lo, hi = ci(boot_groups(groups, stat, rng, n))
            print(f'| {arch} | {ps[0]}–{ps[-1]} | {min(map(len, groups))}–{max(map(len, groups))} | {fmt(s, lo, hi)} | {rule(lo, hi)} |')

    def falls(lo, hi):
        if hi < 0:
            return 'falls, near 1/P' if (lo <= -1 <= hi or hi < -0.7) else 'falls'
        return 'rises' if lo > 0 else 'flat within the interval'

    p_scan('R', 1024, '2. ln R_f (trained) against ln P, P >= 1024', falls)

    print('\n## 3. FC and LeNet nets stay above R_f = 1 (trained)\n')
    print('| arch | P | seeds | R_f trained |\n| --- | ---: | ---: | --- |')
    verdicts = {}
    for arch in archs:
        if not (arch.startswith('fc') or arch.startswith('lenet')):
            continue
        g = by([c for c in cells if c['arch'] == arch], 'train_size')
        ok = True
        for p in sorted(k[0] for k in g):
            v = [c['trained']['R'] for c in g[(p,)]]
            lo, hi = ci([gmean([v[i] for i in rng.integers(0, len(v), len(v))]) for _ in range(n)])
            ok &= lo > 1
            print(f'| {arch} | {p} | {len(v)} | {fmt(gmean(v), lo, hi)} |')
        verdicts[arch] = 'reproduced' if ok else 'not at every P'
    print('\nVerdicts: ' + '; '.join(f'{k}: {v}' for k, v in verdicts.items()))

    p_scan('G', 0, '4. ln G_f (trained) against ln P, all P', lambda lo, hi: 'grows (reproduced)' if lo > 0 else ('falls (contradicted)' if hi < 0 else 'flat within the interval'))

    print('\n## 5. eps_t = a R_f^b across architectures, at each P\n')
    print('One point per architecture (geometric means over its converged seeds), resampled over seeds. '
          'The paper (Fig. 5): b ~ 1/2, corr 0.97 over 15 CIFAR-10 nets.\n')
    print('| P | architectures | a | b | corr | verdict |\n| ---: | --- | --- | --- | --- | --- |')
    fit_rows = {}

    def fit(gs):
        e = np.log([gmean([x[0] for x in grp]) for grp in gs])
        r = np.log([gmean([x[1] for x in grp]) for grp in gs])
        b = np.polyfit(r, e, 1)[0]
        return float(b), float(np.corrcoef(r, e)[0, 1]), float(math.exp(np.mean(e) - b * np.mean(r)))

    for p in sorted({c['train_size'] for c in cells}):
        g = by([c for c in cells if c['train_size'] == p and c['arch'] not in same], 'arch')
        names = [k[0] for k in g]
        groups = [[(c['test_error'], c['trained']['R']) for c in g[k]] for k in g]
        if len(groups) < 3:
            print(f'| {p} | {", ".join(names)} | | | | too few architectures |')
            continue
        b, corr, a0 = fit(groups)
        bs = boot_groups(groups, lambda gs: fit(gs)[:2], rng, n)
        blo, bhi = ci([x[0] for x in bs])
        clo, chi = ci([x[1] for x in bs])
        verdict = 'reproduced' if clo > 0.8 and blo <= 0.65 and bhi >= 0.35 else (
            'contradicted' if chi < 0 else 'partly: ' + ('corr high' if clo > 0.8 else 'corr not above 0.8') + ', '
            + ('b near 1/2' if blo <= 0.65 and bhi >= 0.35 else 'b away from 1/2'))
        print(f'| {p} | {", ".join(names)} | {a0:.3g} | {fmt(b, blo, bhi)} | {fmt(corr, clo, chi)} | {verdict} |')
        fit_rows[p] = (names, groups)
    if fit_rows:
        pmax = max(fit_rows)
        print(f'\nAt P = {pmax}:\n\n| arch | eps_t | R_f |\n| --- | --- | --- |')
        for k, grp in zip(*fit_rows[pmax]):
            print(f'| {k} | {gmean([x[0] for x in grp]):.4f} | {gmean([x[1] for x in grp]):.3f} |')

    def largest(arch, need):
        ps = [c['train_size'] for c in cells if c['arch'] == arch and need(c)]
        return [c for c in cells if c['arch'] == arch and need(c) and c['train_size'] == max(ps)] if ps else []

    def finite(x):
        return x is not None and math.isfinite(x) and x > 0

    print('\n## 6. ln R_f (trained) against relative depth, at each architecture\'s largest converged P\n')
    print('Layers whose R_f is undefined in some seed (D_f = G_f = 0: with the authors\' per-unit median over probes, '
          'a ReLU layer whose every unit is off on more than half the probes moves by 0) are left out and named.\n')
    print('| arch | P | layers | slope per unit depth | verdict | left out |\n| --- | ---: | ---: | --- | --- | --- |')
    profiles = []
    for arch in archs:
        cs = largest(arch, lambda c: bool(c.get('layers')))
        if not cs:
            continue
        undefined = [l for l in cs[0]['layers'] if not all(finite(c['layers'][l]['trained']['R']) for c in cs)]
        names_l = [l for l in cs[0]['layers'] if l not in undefined]
        depth = [cs[0]['layers'][l]['relative_depth'] for l in names_l] + [1.0]
        per_seed = [[c['layers'][l]['trained']['R'] for l in names_l] + [c['trained']['R']] for c in cs]

        def st(rows):
            return slope(np.exp(depth), [gmean([r[i] for r in rows]) for i in range(len(depth))])

        s = st(per_seed)
        bs = [st([per_seed[i] for i in rng.integers(0, len(per_seed), len(per_seed))]) for _ in range(n)]
        lo, hi = ci(bs)
        print(f'| {arch} | {cs[0]["train_size"]} | {len(depth)} | {fmt(s, lo, hi)} | '
              f'{"falls (reproduced)" if hi < 0 else ("rises (contradicted)" if lo > 0 else "flat within the interval")} | {", ".join(undefined)} |')
        profiles.append(f'- {arch} (P = {cs[0]["train_size"]}): ' + ', '.join(
            f'{l} ({x:.2f}) {gmean([r[i] for r in per_seed]):.3g}' for i, (l, x) in enumerate(zip(names_l + ['output'], depth))))

    print('\nTrained R_f by layer (relative depth), geometric mean over seeds:\n')
    print('\n'.join(profiles))
    print('\n## 7. R_f during training: R_f at the last measurement / R_f at initialisation, largest converged P\n')
    print('| arch | P | seeds | epochs measured | ratio | verdict |\n| --- | ---: | ---: | --- | --- | --- |')
    for arch in archs:
        cs = largest(arch, lambda c: bool(c.get('fit', {}).get('during')))
        if not cs:
            continue
        v = [math.log(c['fit']['during'][-1][3] / c['init']['R']) for c in cs]
        m = sum(v) / len(v)
        lo, hi = ci([np.mean([v[i] for i in rng.integers(0, len(v), len(v))]) for _ in range(n)])
        ep = [d[0] for d in cs[0]['fit']['during']]
        verdict = ('falls by a decade or more' if hi <= math.log(0.1) else 'falls') if hi < 0 else ('rises' if lo > 0 else 'flat within the interval')
        print(f'| {arch} | {cs[0]["train_size"]} | {len(v)} | {ep[0]}–{ep[-1]} | {fmt(math.exp(m), math.exp(lo), math.exp(hi))} | {verdict} |')


if __name__ == '__main__':
    main()
