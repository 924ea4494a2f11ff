package org.diffeo4j.torch;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.AttackMethod;
import org.diffeo4j.attack.AttackRun;
import org.diffeo4j.attack.AttackSpec;
import org.diffeo4j.attack.Target;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.diffeo4j.model.Model;
import org.diffeo4j.stability.Average;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two methods of diffeo attack on a small TorchScript net (the committed LeNet): the gradient
 * (libtorch's input gradient chained through the deformation) and central differences over the
 * coefficients find worst cases whose D_f* agree within 10%, several times the typical D_f.
 */
class TorchScriptAttackTest {
    @Test
    void gradientAndDerivativeFreeAgreeOnLenet() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(2));
        LabeledImages x = Probes.first(Datasets.load(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")), 40);
        int[] index = new int[40];
        for (int i = 0; i < 40; i++) {
            index[i] = i;
        }
        double[] worst = new double[2];
        try (Model m = TorchScriptModel.load(SharedFiles.testData().resolve("torch/lenet.pt"), org.diffeo4j.model.Options.threads(2))) {
            for (AttackMethod method : AttackMethod.values()) {
                AttackSpec spec = new AttackSpec(List.of(3), List.of(1.0), List.of(), Target.DISTANCE, method, 2, 10, 0, Average.MEDIAN);
                try (AttackRun run = new AttackRun(m, 2)) {
                    AttackCell c = run.run(x.images(), x.labels(), index, spec, (d, t) -> { }, AttackRun.CellStore.NONE).get(0);
                    worst[method.ordinal()] = c.dWorst();
                    assertTrue(c.gain() > 3, method + ": D_f* / D_f = " + c.gain());
                    assertTrue(c.energyError() < 1e-6, method + ": energy error " + c.energyError());
                    assertEquals(method == AttackMethod.GRADIENT, run.counters().backwardImages() > 0);
                }
            }
        }
        assertEquals(worst[0], worst[1], 0.1 * Math.max(worst[0], worst[1]), "D_f* gradient " + worst[0] + ", derivative-free " + worst[1]);
    }
}
