#!/usr/bin/python3
# Generates train/src/test/resources/paper-archs.json, the golden that PaperArchitecturesTest checks the
# full-width nets against (org.diffeo4j.train.Arch with fullWidth()). Never edit the JSON by hand: rerun this.
#
# The nets are the authors' own (Petrini et al. 2021, github.com/leonardopetrini/diffeo-sota, models/),
# built by their models.model_initialization with main.py's argparse defaults (width 64, pooling 'max',
# stride 2, width_factor 1, cross-entropy, so K = 10 outputs), for MNIST (1x28x28) and CIFAR-10 (3x32x32).
# Their code is read from a folder given on the command line and never copied into this repository:
#
#   git -C /work/.mirror/leonardopetrini+diffeo-sota/repo archive HEAD models | tar -x -C /tmp/ds
#   /usr/bin/python3 tools/paper_archs_fixture.py /tmp/ds/models train/src/test/resources/paper-archs.json
#
# (PyTorch 1.13 CPU, Debian's python3-torch.) Every parameter and buffer, in state_dict order
# (num_batches_tracked skipped), tensor t, flat index k, is set to
#     value = offset + scale * (2u - 1),   u = splitmix64(k + (t + 1) * G) / 2^64   (the top 53 bits)
# with G = 0x9E3779B97F4A7C15 and splitmix64's finaliser (Steele et al. 2014), in 64-bit unsigned
# integers, then double, then float32: integer arithmetic, so Java's longs give the same bits. (A smooth
# formula such as sin(0.37k + 1.3t) or a Weyl sequence gives structured filters, and then VGG-19's logits
# hardly depend on the input: the golden would miss a wrong padding.)
# (offset, scale) by kind: conv/linear weight (0, sqrt(6/fan_in)), fan_in = numel/shape[0] (He: the signal
# keeps its size through ReLU nets 50 layers deep); DenseNetL4's w and b (0, sqrt 3), unit variance as the
# authors' randn; bias (0, 0.1); batch-norm weight (1, 0.2), bias (0, 0.1), running_mean (0, 0.1),
# running_var (1, 0.5). The input, batch 2, is x[i] = 2u - 1 with u as above for tensor t = INPUT_T.
# Recorded per net and shape: the trainable parameter count, each tensor's name, shape, kind, offset and
# scale, the logits in eval mode (batch-norm on running statistics) and then in train mode (batch
# statistics), dropout set to rate 0 for the comparison (AlexNet's nn.Dropout, EfficientNet's cfg rate).
import argparse, json, math, os, sys
from argparse import Namespace

import numpy as np
import torch

G, M1, M2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
INPUT_T = 1 << 20  # the input's stream, far from any net's tensor count

# Arch id (diffeo4j) -> the authors' --net name.
NETS = {
    'resnet18': 'ResNet18', 'resnet34': 'ResNet34', 'resnet50': 'ResNet50', 'efficientnet-b0': 'EfficientNetB0',
    'vgg11': 'VGG11', 'vgg16': 'VGG16', 'vgg19': 'VGG19', 'vgg11-bn': 'VGG11bn', 'vgg16-bn': 'VGG16bn', 'vgg19-bn': 'VGG19bn',
    'alexnet': 'AlexNet', 'lenet-paper': 'LeNet', 'fc-l4': 'DenseNetL4',
}
SHAPES = {'1x28x28': ('mnist', 28), '3x32x32': ('cifar10', 32)}


def build(models, net, dataset, size):
    # main.py's defaults for every option model_initialization reads.
    args = Namespace(ch=0, dataset=dataset, black_and_white=0, loss='cross_entropy', seed_net=-1, pretrained=0, net=net,
                     param_list=0, pooling='max', width_factor=1.0, stride=2, width=64, filter_size=5, pooling_size=4,
                     depth=3, pbc=0, batch_norm=0, random_features=0, device='cpu', J=2, L=8)
    return models.model_initialization(args, image_size=size, num_classes=10)


def kinds(model):
    """state_dict name -> kind, from the module that owns each tensor."""
    out = {}
    for mname, m in model.named_modules():
        bn = isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
        for pname, _ in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False)):
            full = (mname + '.' if mname else '') + pname
            if pname == 'num_batches_tracked':
                continue
            if bn:
                out[full] = {'weight': 'bn_weight', 'bias': 'bn_bias'}.get(pname, pname)
            else:
                out[full] = {'weight': 'weight', 'w': 'weight', 'bias': 'bias', 'b': 'bias'}[pname]
    return out


def fill_constants(kind, shape, dense_l4):
    if dense_l4:
        return 0.0, math.sqrt(3.0)
    if kind == 'weight':
        return 0.0, math.sqrt(6.0 / (int(np.prod(shape)) // shape[0]))
    return {'bias': (0.0, 0.1), 'bn_weight': (1.0, 0.2), 'bn_bias': (0.0, 0.1),
            'running_mean': (0.0, 0.1), 'running_var': (1.0, 0.5)}[kind]


def uniform(n, t):
    """u in [0, 1) for flat indices 0..n-1 of tensor t: splitmix64's finaliser on k + (t + 1) G (mod 2^64)."""
    with np.errstate(over='ignore'):
        z = np.arange(n, dtype=np.uint64) + np.uint64(t + 1) * G
        z = (z ^ (z >> np.uint64(30))) * M1
        z = (z ^ (z >> np.uint64(27))) * M2
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def values(n, t, offset, scale):
    return (offset + scale * (2.0 * uniform(n, t) - 1.0)).astype(np.float32)


def fill(model, dense_l4):
    tensors, state, kind = [], model.state_dict(), kinds(model)
    t = 0
    for name, v in state.items():
        if name.endswith('num_batches_tracked'):
            continue
        offset, scale = fill_constants(kind[name], list(v.shape), dense_l4)
        v.copy_(torch.from_numpy(values(v.numel(), t, offset, scale).reshape(v.shape)))
        tensors.append({'name': name, 'shape': list(v.shape), 'kind': kind[name], 'offset': offset, 'scale': scale})
        t += 1
    return tensors


def inputs(c, h, w):
    return torch.from_numpy(values(2 * c * h * w, INPUT_T, 0.0, 1.0).reshape(2, c, h, w))


def without_dropout(model):
    """Dropout's masks come from each engine's own generator: the training-mode comparison runs with rate 0."""
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    if isinstance(getattr(model, 'cfg', None), dict) and 'dropout_rate' in model.cfg:
        model.cfg['dropout_rate'] = 0.0


def main():
    p = argparse.ArgumentParser(description='golden logits of the authors\' nets for PaperArchitecturesTest')
    p.add_argument('models', help="the authors' models/ folder (git archive of diffeo-sota)")
    p.add_argument('out', help='the JSON to write')
    a = p.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(a.models)))
    models = __import__(os.path.basename(os.path.abspath(a.models)))
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    nets = {}
    for arch, net in NETS.items():
        per_shape = {}
        for key, (dataset, size) in SHAPES.items():
            c = 1 if dataset == 'mnist' else 3
            model = build(models, net, dataset, size)
            tensors = fill(model, net == 'DenseNetL4')
            x = inputs(c, size, size)
            model.eval()
            entry = {'parameters': sum(q.numel() for q in model.parameters()), 'tensors': tensors,
                     'eval': model(x).reshape(2, -1).tolist()}
            without_dropout(model)
            model.train()
            entry['train'] = model(x).reshape(2, -1).tolist()
            per_shape[key] = entry
        nets[arch] = {'paper_name': net, 'shapes': per_shape}
    doc = {'generator': 'tools/paper_archs_fixture.py (see its header); do not edit by hand',
           'source': 'github.com/leonardopetrini/diffeo-sota models/ via models.model_initialization, main.py defaults',
           'torch': torch.__version__, 'input_t': INPUT_T, 'batch': 2, 'nets': nets}
    with open(a.out, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
