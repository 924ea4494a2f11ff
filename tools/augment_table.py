#!/usr/bin/python3
"""Markdown tables of an augmentation study's summary.json (diffeo study with an "augmentations" axis): per
dataset, architecture and P, one row per augmentation with R_f, R_f* (worst-case diffeo over typical noise),
R_f^spec, D_f, D_f*, G_f and the test error, each with its 95% bootstrap interval over seeds as the study wrote
it, and how many seeds converged. Nothing is recomputed: the table is the summary's numbers, rounded.

Usage: python3 tools/augment_table.py STUDY_OUT/summary.json
"""
import json
import sys


def num(v):
    if v is None:
        return '–'
    a = abs(v)
    return f'{v:.3g}' if a >= 1e-3 else f'{v:.2e}'


def cell(e, key, pct=False):
    v, ci = e.get(key), e.get(key + '_ci95')
    if v is None:
        return '–'
    f = (lambda x: f'{100 * x:.2f}%') if pct else num
    return f'{f(v)} [{f(ci[0])}, {f(ci[1])}]' if ci else f(v)


def main(path):
    s = json.load(open(path))
    entries = s['entries']
    order = {'none': 0, 'diffeo': 1}
    groups = {}
    for e in entries:
        groups.setdefault((e['dataset'], e['arch'], e['train_size'], e['cut'], e['delta']), []).append(e)
    print(f"{s['name']}: {s['cells']} cells, {s['non_converged']} not converged; checkpoint measured: {s['selected']}; "
          f"intervals: {s['bootstrap']['level']:.0%} {s['bootstrap']['method']} bootstrap over seeds ({s['bootstrap']['resamples']} resamples)\n")
    for (ds, arch, p, cut, delta), es in sorted(groups.items()):
        print(f'**{arch}, P = {p:,}** ({ds}, c = {cut}, δ = {delta:g})\n')
        print('| augmentation | converged | R_f | R_f* | R_f^spec | D_f | D_f* | G_f | ε_t |')
        print('|---|---|---|---|---|---|---|---|---|')
        for e in sorted(es, key=lambda e: (order.get(e.get('augment', 'none'), 2), e.get('augment', 'none'))):
            print(f"| {e.get('augment', 'none')} | {e['seeds'] - e['non_converged']} of {e['seeds']} | {cell(e, 'R_trained')} | "
                  f"{cell(e, 'R_star_trained')} | {cell(e, 'R_spec_trained')} | {cell(e, 'D_trained')} | {cell(e, 'D_star_trained')} | "
                  f"{cell(e, 'G_trained')} | {cell(e, 'test_error', pct=True)} |")
        print()


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
