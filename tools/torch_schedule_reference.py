"""Writes the learning rates of torch.optim.lr_scheduler.CosineAnnealingLR, epoch by epoch, for ScheduleTest.

Usage: /usr/bin/python3 tools/torch_schedule_reference.py > train/src/test/resources/recipe/schedule-torch.txt
(PyTorch 1.13 from Debian). Each line: EPOCHS FRACTION, then the comma list of the rates of epochs
0 .. EPOCHS-1 (base lr 0.1, T_max = EPOCHS * FRACTION, one scheduler step per epoch as in the
authors' main.py). Generated, never edited by hand.
"""
import torch
for epochs, frac in [(250, 0.8), (10, 0.8), (7, 0.8), (15, 0.8), (6, 0.5)]:
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * frac)
    lrs = []
    for e in range(epochs):
        lrs.append(opt.param_groups[0]['lr'])
        opt.step(); s.step()
    print(epochs, frac, ",".join(repr(x) for x in lrs))
