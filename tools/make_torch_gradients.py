#!/usr/bin/python3
# Input gradients of the committed TorchScript test nets as PyTorch computes them, for
# model-torch's TorchScriptGradientTest (diffeo attack's gradient method through DJL):
# for the first 4 shared MNIST test digits x and a fixed cotangent v (v[b, k] = sin(1 + 7 b + 3 k)),
# f(x) in eval mode and the gradient of sum(v * f(x)) with respect to x.
# Usage: /usr/bin/python3 tools/make_torch_gradients.py   (PyTorch 1.13; writes tools/testdata/torch/gradients.json)
import gzip, json, math, os, torch

root = os.path.dirname(os.path.abspath(__file__))
raw = gzip.open(os.path.join(root, '..', '..', 'shared', 'data', 'mnist', 't10k-images-idx3-ubyte.gz')).read()
x = torch.frombuffer(bytearray(raw[16:16 + 4 * 784]), dtype=torch.uint8).float().reshape(4, 1, 28, 28) / 255
out = {'generator': 'tools/make_torch_gradients.py', 'torch': torch.__version__, 'images': 'first 4 of ../shared/data/mnist/t10k-images-idx3-ubyte.gz',
       'cotangent': 'v[b][k] = sin(1 + 7 b + 3 k)', 'models': {}}
for name in ('lenet.pt', 'resnet_bn.pt'):
    m = torch.jit.load(os.path.join(root, 'testdata', 'torch', name)).eval()
    xi = x.clone().requires_grad_(True)
    y = m(xi)
    v = torch.tensor([[math.sin(1 + 7 * b + 3 * k) for k in range(y.shape[1])] for b in range(4)])
    (y * v).sum().backward()
    out['models'][name] = {'outputs': [float('%.9g' % a) for a in y.detach().reshape(-1).tolist()],
                         'gradient': [float('%.9g' % a) for a in xi.grad.reshape(-1).tolist()]}
with open(os.path.join(root, 'testdata', 'torch', 'gradients.json'), 'w') as f:
    json.dump(out, f)
