package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.attack.BilinearDeformer;
import org.diffeo4j.attack.ModeVectors;
import org.diffeo4j.attack.Target;
import org.diffeo4j.attack.WorstDeformations;
import org.diffeo4j.augment.AugmentAddress;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.Parallel;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --augment adversarial-diffeo} (issue 22, item 2): a batch's images are replaced by the
 * current net's worst deformations at the authors' (c, T), found with the same gradients as {@code diffeo
 * attack}'s (a frozen twin of the net gives the same images), worse for the net than the drawn fields they
 * start from; the ascent leaves the weights and their autograd as they were; training with it is
 * deterministic, and overlapping its shift with training changes nothing.
 */
class AdversarialTrainingTest {
    static final int B = 16;

    @Test
    void batchIsTheWorstCaseOfTheCurrentNetAndLeavesTheWeightsAsTheyWere() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        LabeledImages data = Probes.first(Datasets.load(SharedFiles.root().resolve("data/mnist/train-images-idx3-ubyte.gz")), B);
        ImageBatch x = data.images();
        long[] images = new long[B];
        for (int i = 0; i < B; i++) {
            images[i] = 100 + 7L * i;
        }
        Augmentation aug = Augmentation.parse("adversarial-diffeo:steps=4,c_max=6");
        try (Net net = Architectures.build(Arch.LENET, new int[]{1, 28, 28}, 10, 3);
             DjlModel twin = new DjlModel(Architectures.build(Arch.LENET, new int[]{1, 28, 28}, 10, 3), "twin", false);
             Parallel parallel = new Parallel(1)) {
            List<NDArray> weights = new ArrayList<>();
            for (Pair<String, Parameter> p : net.parameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                    weights.add(p.getValue().getArray());
                }
            }
            List<float[]> before = weights.stream().map(NDArray::toFloatArray).toList();
            float[] worst;
            try (AdversarialAugmenter a = new AdversarialAugmenter(aug.adversarial(), 11, net, weights)) {
                worst = a.apply(2, images, data.labels(), x.data().clone(), 1, 28, 28);
                assertTrue(a.takeSeconds() > 0);
            }
            for (int k = 0; k < weights.size(); k++) {
                assertTrue(weights.get(k).hasGradient(), "weight " + k + " back in autograd");
                assertArrayEquals(before.get(k), weights.get(k).toFloatArray(), "weight " + k + " unchanged");
            }
            // the same climb on a frozen twin through DjlModel's input gradients (DjlModelGradientTest checks them)
            DiffeoAugment sampling = new DiffeoAugment(aug.adversarial().sampling(), 11);
            int[] cuts = new int[B];
            double[] temps = new double[B];
            double[][] starts = new double[B][];
            float[] drawn = new float[B * 784];
            for (int i = 0; i < B; i++) {
                cuts[i] = sampling.cut(2, images[i], 28);
                temps[i] = sampling.temperature(2, images[i], cuts[i], 28);
                CoefficientBatch z = CoefficientBatch.draw(cuts[i], 11, AugmentAddress.of(2, images[i], 0), 1);
                ModeVectors modes = new ModeVectors(cuts[i]);
                starts[i] = modes.fromGrid(z.zu(), z.zv(), 0);
                new BilinearDeformer(modes, 1, 28, 28).deform(x.data(), i * 784, ModeVectors.scaleTo(starts[i].clone(), modes.radiusSquared()),
                        temps[i], drawn, i * 784);
            }
            assertTrue(java.util.Arrays.stream(cuts).distinct().count() > 1, "several cut-offs in the batch");
            WorstDeformations.Result r = WorstDeformations.climb(twin, twin, x, data.labels(), cuts, temps, starts, Target.MARGIN, 4, parallel);
            assertArrayEquals(r.images().data(), worst, 1e-6f, "the twin's worst images");
            Activations fw = twin.forward(new ImageBatch(B, 1, 28, 28, worst)), fd = twin.forward(new ImageBatch(B, 1, 28, 28, drawn));
            int raised = 0;
            for (int i = 0; i < B; i++) {
                double w = Target.MARGIN.value(fw.data(), i * 10, fw.data(), i * 10, 10, data.labels()[i]);
                double d = Target.MARGIN.value(fd.data(), i * 10, fd.data(), i * 10, 10, data.labels()[i]);
                assertTrue(w >= d - 1e-5, "image " + i + ": " + w + " below its drawn start " + d);
                // an untrained net's margins are ~0.1: a raise of 1e-3 is a step taken, not rounding
                raised += w > d + 1e-3 ? 1 : 0;
            }
            assertTrue(raised >= B * 3 / 4, raised + " of " + B + " images' minus margin raised by the climb");
        }
    }

    @Test
    void trainingWithItIsDeterministicAndOverlapChangesNothing(@TempDir Path dir) throws IOException {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        LabeledImages train = Probes.first(Datasets.load(mnist.resolve("train-images-idx3-ubyte.gz")), 96);
        LabeledImages test = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 50);
        TrainSpec plain = new TrainSpec(Arch.LENET, 96, false, 1, 32, "adam", 1e-3, 3);
        TrainSpec adv = new TrainSpec(Arch.LENET, 96, false, 1, 32, "adam", 1e-3, 3, Augmentation.parse("adversarial-diffeo:steps=2+shift:pixels=1"));
        assertTrue(adv.key().endsWith("|augment " + adv.augment().format()));
        List<List<float[]>> weights = new ArrayList<>();
        List<NetTrainer.EpochLog> logs = new ArrayList<>();
        for (Object[] run : new Object[][]{{plain, false}, {adv, false}, {adv, true}}) {
            TrainSpec spec = (TrainSpec) run[0];
            boolean overlap = (Boolean) run[1];
            try (Net net = Architectures.build(spec.arch(), new int[]{1, 28, 28}, 10, spec.seed())) {
                logs.add(NetTrainer.train(net, spec, train, new NetTrainer.Sets(test, null), dir.resolve("ck-" + logs.size() + ".bin"),
                        new ArrayList<>(), (e, d, t, l, i) -> { }, (n, l) -> { }, overlap).get(0));
                List<float[]> w = new ArrayList<>();
                net.parameters().forEach(p -> w.add(p.getValue().getArray().toFloatArray()));
                weights.add(w);
            }
        }
        assertNotEquals(logs.get(0).loss(), logs.get(1).loss(), "worst-case batches give another loss");
        assertTrue(logs.get(0).augmentSeconds() == 0 && logs.get(1).augmentSeconds() > 0, logs.toString());
        assertEquals(logs.get(1).loss(), logs.get(2).loss(), "the shift drawn ahead on the worker: the same loss");
        for (int k = 0; k < weights.get(1).size(); k++) {
            assertArrayEquals(weights.get(1).get(k), weights.get(2).get(k), "parameter " + k);
        }
    }
}
