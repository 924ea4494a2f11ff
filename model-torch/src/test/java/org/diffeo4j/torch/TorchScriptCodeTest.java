package org.diffeo4j.torch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain reading of TorchScript code, on code as torch.jit.save (PyTorch 1.13) writes it. */
class TorchScriptCodeTest {
    private static TorchScriptCode code(String file, String cls) {
        return TorchScriptCode.find(file, cls).orElseThrow();
    }

    /** A traced torchvision-style ResNet: the chain stops at torch.flatten, so fc is not reachable. */
    @Test
    void tracedChainStopsAtTheFirstOperationThatIsNotAModule() {
        String file = """
                class TV(Module):
                  __parameters__ = []
                  training : bool
                  conv1 : __torch__.torch.nn.modules.conv.Conv2d
                  bn1 : __torch__.torch.nn.modules.batchnorm.BatchNorm2d
                  relu : __torch__.torch.nn.modules.activation.ReLU
                  layer1 : __torch__.torch.nn.modules.container.Sequential
                  avgpool : __torch__.torch.nn.modules.pooling.AdaptiveAvgPool2d
                  fc : __torch__.torch.nn.modules.linear.Linear
                  def forward(self: __torch__.TV,
                    x: Tensor) -> Tensor:
                    fc = self.fc
                    avgpool = self.avgpool
                    layer1 = self.layer1
                    relu = self.relu
                    bn1 = self.bn1
                    conv1 = self.conv1
                    _0 = (relu).forward((bn1).forward((conv1).forward(x, ), ), )
                    _1 = (avgpool).forward((layer1).forward(_0, ), )
                    input = torch.flatten(_1, 1)
                    return (fc).forward(input, )
                """;
        TorchScriptCode c = code(file, "TV");
        assertEquals(List.of("conv1", "bn1", "relu", "layer1", "avgpool", "fc"), List.copyOf(c.submodules().keySet()));
        assertEquals(List.of("conv1", "bn1", "relu", "layer1", "avgpool"), c.chainPrefix());
        assertTrue(c.forwardTakesOneTensor());
    }

    /** Scripted code keeps the author's names and torchvision's forward -> _forward_impl hand-over. */
    @Test
    void scriptedForwardIsFollowedIntoTheMethodItDelegatesTo() {
        String file = """
                class TV(Module):
                  conv1 : __torch__.torch.nn.modules.conv.___torch_mangle_31.Conv2d
                  relu : __torch__.torch.nn.modules.activation.___torch_mangle_33.ReLU
                  fc : __torch__.torch.nn.modules.linear.___torch_mangle_39.Linear
                  def forward(s: __torch__.___torch_mangle_40.TV,
                    x: Tensor) -> Tensor:
                    return (s)._forward_impl(x, )
                  def _forward_impl(s: __torch__.___torch_mangle_40.TV,
                    x: Tensor) -> Tensor:
                    conv1 = s.conv1
                    x0 = (conv1).forward(x, )
                    relu = s.relu
                    x1 = (relu).forward(x0, )
                    x2 = torch.flatten(x1, 1)
                    fc = s.fc
                    return (fc).forward(x2, )
                """;
        assertEquals(List.of("conv1", "relu"), code(file, "TV").chainPrefix());
    }

    /** A residual block: conv1 sees the input, but what follows adds the input back, so only conv1 and bn1, relu chain. */
    @Test
    void residualBlockChainsOnlyUntilTheBranch() {
        String file = """
                class Block(Module):
                  conv1 : __torch__.torch.nn.modules.conv.Conv2d
                  bn1 : __torch__.torch.nn.modules.batchnorm.BatchNorm2d
                  relu : __torch__.torch.nn.modules.activation.ReLU
                  conv2 : __torch__.torch.nn.modules.conv.Conv2d
                  def forward(self: __torch__.Block,
                    argument_1: Tensor) -> Tensor:
                    relu = self.relu
                    conv2 = self.conv2
                    bn1 = self.bn1
                    conv1 = self.conv1
                    _0 = (relu).forward((bn1).forward((conv1).forward(argument_1, ), ), )
                    input = torch.add((conv2).forward(_0, ), argument_1)
                    return (relu).forward1(input, )
                """;
        assertEquals(List.of("conv1", "bn1", "relu"), code(file, "Block").chainPrefix());
    }

    /** A forward of two tensors cannot be run alone on one input. */
    @Test
    void twoInputsAreNotOneTensor() {
        String file = """
                class Pair(Module):
                  def forward(self: __torch__.Pair,
                    x: Tensor,
                    y: Tensor) -> Tensor:
                    return torch.add(x, y)
                """;
        assertFalse(code(file, "Pair").forwardTakesOneTensor());
        assertEquals(List.of(), code(file, "Pair").chainPrefix());
    }
}
