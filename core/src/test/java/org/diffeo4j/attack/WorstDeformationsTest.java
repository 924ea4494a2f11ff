package org.diffeo4j.attack;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.Parallel;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.model.Activations;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-image worst case of adversarial augmentation: every image at its own (c, T) ends on its sphere,
 * is deformed by the coefficients returned, never scores below its start, and mostly well above it; and the
 * result does not depend on how the images are grouped (each image alone gives the same).
 */
class WorstDeformationsTest {
    static final int B = 12;

    @Test
    void perImageCutAndTemperatureClimbOnTheirSpheres() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, B);
        TanhNet net = new TanhNet(1, 28, 28, 16, 10, 5);
        int[] labels = new int[B], cuts = new int[B];
        double[] temps = new double[B];
        double[][] starts = new double[B][];
        for (int i = 0; i < B; i++) {
            labels[i] = i % 10;
            cuts[i] = 2 + i % 3; // three groups, interleaved
            temps[i] = Temperatures.temperature(0.5 + 0.25 * (i % 4), cuts[i], 28);
            CoefficientBatch z = CoefficientBatch.draw(cuts[i], 9, i, 1);
            starts[i] = new ModeVectors(cuts[i]).fromGrid(z.zu(), z.zv(), 0);
        }
        double[][] kept = Arrays.stream(starts).map(double[]::clone).toArray(double[][]::new);
        WorstDeformations.Result r;
        try (Parallel p = new Parallel(2)) {
            r = WorstDeformations.climb(net, net, x, labels, cuts, temps, starts, Target.MARGIN, 4, p);
        }
        for (int i = 0; i < B; i++) {
            assertArrayEquals(kept[i], starts[i], "starts are not modified");
        }
        Activations after = net.forward(r.images());
        int raised = 0;
        for (int i = 0; i < B; i++) {
            ModeVectors modes = new ModeVectors(cuts[i]);
            float[] zu = new float[cuts[i] * cuts[i]], zv = new float[cuts[i] * cuts[i]];
            modes.toGrid(r.z()[i], zu, zv, 0);
            double budget = modes.energyBudget(temps[i]);
            assertEquals(budget, modes.energy(temps[i], zu, zv, 0), 1e-6 * budget, "energy of image " + i);
            float[] mine = new float[784];
            new BilinearDeformer(modes, 1, 28, 28).deform(x.data(), i * 784, r.z()[i], temps[i], mine, 0);
            assertArrayEquals(mine, Arrays.copyOfRange(r.images().data(), i * 784, (i + 1) * 784), "image " + i + " deformed by its z at its T");
            // the objective at the start, evaluated apart from the ascent
            float[] start = new float[784];
            new BilinearDeformer(modes, 1, 28, 28).deform(x.data(), i * 784, ModeVectors.scaleTo(kept[i].clone(), modes.radiusSquared()), temps[i],
                    start, 0);
            float[] f0 = net.forward(new ImageBatch(1, 1, 28, 28, start)).data();
            double v0 = Target.MARGIN.value(f0, 0, f0, 0, 10, labels[i]);
            double v1 = Target.MARGIN.value(after.data(), i * 10, after.data(), i * 10, 10, labels[i]);
            assertTrue(v1 >= v0 - 1e-6, "image " + i + ": " + v1 + " below its start " + v0);
            assertEquals(v1 - v0, r.gain()[i], 1e-5 * Math.max(1, Math.abs(v1)), "gain of image " + i);
            raised += v1 > v0 + 1e-3 ? 1 : 0;
        }
        assertTrue(raised >= B * 3 / 4, raised + " of " + B + " images raised their objective");
        // each image alone: the same coefficients (images of a cut climb independently)
        try (Parallel p = new Parallel(1)) {
            for (int i : new int[]{0, 5, 11}) {
                WorstDeformations.Result one = WorstDeformations.climb(net, net, x.slice(i, 1), new int[]{labels[i]}, new int[]{cuts[i]},
                        new double[]{temps[i]}, new double[][]{kept[i]}, Target.MARGIN, 4, p);
                assertArrayEquals(r.z()[i], one.z()[0], 1e-12, "image " + i + " alone");
            }
        }
    }

    @Test
    void refusesMismatchedLengths() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 2);
        TanhNet net = new TanhNet(1, 28, 28, 4, 10, 5);
        try (Parallel p = new Parallel(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorstDeformations.climb(net, net, x, new int[2],
                    new int[]{3, 3}, new double[]{1e-3, 1e-3}, new double[][]{new double[4], new double[4]}, Target.MARGIN, 1, p));
            assertTrue(e.getMessage().contains("starts[0] must have"), e.getMessage());
        }
    }
}
