package org.diffeo4j.attack;

import org.diffeo4j.backend.Parallel;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The worst deformation of each image of a batch at its own (c, T), by the attack's projected gradient
 * ascent ({@link SphereAscent}, one walker per image, no restarts) from a given start on the sphere
 * {@code |z|^2 = 2M}: the adversarial diffeo augmentation of training (issue 22, item 2). Images of one
 * cut-off climb together (their vectors have one length); each image keeps its own T.
 */
public final class WorstDeformations {
    private WorstDeformations() {
    }

    /**
     * Per image, the climbed coefficient vector and the image deformed by it.
     *
     * @param z per image its vector (whitened coordinates of {@link ModeVectors} of its cut), on the sphere
     * @param images the deformed batch, as the deformer writes it for {@code z} rounded to float
     * @param gain per image the objective at the end minus at the start (>= 0: the ascent never goes down)
     */
    public record Result(double[][] z, ImageBatch images, double[] gain) {
    }

    /**
     * Climbs {@code steps} proposals per image.
     *
     * @param model evaluates deformed batches (the clean outputs too, for {@link Target#DISTANCE}); not closed
     * @param autograd its input gradients
     * @param x the images [B, C, H, W]; not modified
     * @param labels per image the class whose margin counts ({@link Target#MARGIN}); not modified
     * @param cuts per image its cut-off c
     * @param temperatures per image its T
     * @param starts per image a vector of {@code new ModeVectors(cuts[i])}; scaled onto its sphere here, not modified
     */
    public static Result climb(Model model, Differentiable autograd, ImageBatch x, int[] labels, int[] cuts, double[] temperatures,
                               double[][] starts, Target target, int steps, Parallel parallel) {
        int b = x.count(), size = x.sampleSize();
        if (labels.length != b || cuts.length != b || temperatures.length != b || starts.length != b) {
            throw new IllegalArgumentException("labels, cuts, temperatures and starts must number the " + b + " images, found " + labels.length
                    + ", " + cuts.length + ", " + temperatures.length + ", " + starts.length);
        }
        Activations clean = target == Target.DISTANCE ? model.forward(x) : new Activations(b, model.outputs(), new float[b * model.outputs()]);
        Map<Integer, List<Integer>> byCut = new TreeMap<>();
        for (int i = 0; i < b; i++) {
            byCut.computeIfAbsent(cuts[i], c -> new ArrayList<>()).add(i);
        }
        double[][] z = new double[b][];
        double[] gain = new double[b];
        float[] out = new float[b * size];
        AttackCounters counters = new AttackCounters();
        for (Map.Entry<Integer, List<Integer>> e : byCut.entrySet()) {
            ModeVectors modes = new ModeVectors(e.getKey());
            List<Integer> members = e.getValue();
            int n = members.size();
            double[][] s = new double[n][];
            int[] probeOf = new int[n];
            for (int a = 0; a < n; a++) {
                int i = members.get(a);
                if (starts[i].length != modes.dimension()) {
                    throw new IllegalArgumentException("starts[" + i + "] must have " + modes.dimension() + " entries for cut " + e.getKey()
                            + ", found " + starts[i].length);
                }
                s[a] = ModeVectors.scaleTo(starts[i].clone(), modes.radiusSquared());
                probeOf[a] = i;
            }
            DiffeoOracle oracle = new DiffeoOracle(model, autograd, x, clean, labels, target, modes, temperatures, probeOf, parallel, counters);
            double[] first = new double[n];
            boolean[] initial = {true};
            // the ascent's first call evaluates every walker at its start
            SphereAscent.Result r = SphereAscent.run(s, steps, true, (walkers, points, values, outputs, gradients) -> {
                oracle.evaluate(walkers, points, values, outputs, gradients);
                if (initial[0]) {
                    for (int q = 0; q < walkers.length; q++) {
                        first[walkers[q]] = values[q];
                    }
                    initial[0] = false;
                }
            });
            parallel.forRange(n, 4, (lo, hi) -> {
                BilinearDeformer d = new BilinearDeformer(modes, x.channels(), x.height(), x.width());
                for (int a = lo; a < hi; a++) {
                    int i = members.get(a);
                    d.deform(x.data(), i * size, r.best()[a], temperatures[i], out, i * size);
                }
            });
            for (int a = 0; a < n; a++) {
                int i = members.get(a);
                z[i] = r.best()[a];
                gain[i] = r.value()[a] - first[a];
            }
        }
        return new Result(z, new ImageBatch(b, x.channels(), x.height(), x.width(), out), gain);
    }
}
