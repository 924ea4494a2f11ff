package org.diffeo4j.attack;

import org.diffeo4j.backend.Parallel;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;

/**
 * The objective of the diffeo attack at coefficient vectors: walker w deforms probe {@code probeOf[w]}
 * by the point's z at T ({@link BilinearDeformer}, on the threads of {@code parallel}), the model
 * evaluates the batch (forward only, or forward and backward through its autograd), and the
 * {@link Target} scores each output row against the probe's clean outputs. The gradient with respect to
 * z is the model's input gradient chained through the deformation in Java.
 */
final class DiffeoOracle implements SphereAscent.Oracle {
    /** Images per forward + backward pass: bounds the memory of the autograd graph. */
    static final int GRADIENT_BATCH = 128;

    private final Model model;
    private final Differentiable autograd;
    private final ImageBatch probes;
    private final Activations clean;
    private final int[] labels;
    private final Target target;
    private final ModeVectors modes;
    private final double[] temperatures;
    private final int[] probeOf;
    private final Parallel parallel;
    private final AttackCounters counters;

    /**
     * @param labels per probe, the class whose margin counts (the label, or the clean prediction)
     * @param probeOf the probe of each walker
     */
    DiffeoOracle(Model model, Differentiable autograd, ImageBatch probes, Activations clean, int[] labels, Target target, ModeVectors modes,
                 double temperature, int[] probeOf, Parallel parallel, AttackCounters counters) {
        this(model, autograd, probes, clean, labels, target, modes, filled(probes.count(), temperature), probeOf, parallel, counters);
    }

    /** @param temperatures per probe, the T its walkers deform it at */
    DiffeoOracle(Model model, Differentiable autograd, ImageBatch probes, Activations clean, int[] labels, Target target, ModeVectors modes,
                 double[] temperatures, int[] probeOf, Parallel parallel, AttackCounters counters) {
        this.model = model;
        this.autograd = autograd;
        this.probes = probes;
        this.clean = clean;
        this.labels = labels;
        this.target = target;
        this.modes = modes;
        this.temperatures = temperatures;
        this.probeOf = probeOf;
        this.parallel = parallel;
        this.counters = counters;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Override
    public void evaluate(int[] walkers, double[][] points, double[] values, float[][] outputs, double[][] gradients) {
        int step = gradients == null ? Math.max(1, points.length) : GRADIENT_BATCH;
        for (int from = 0; from < points.length; from += step) {
            int n = Math.min(step, points.length - from);
            evaluateChunk(walkers, points, values, outputs, gradients, from, n);
        }
    }

    private void evaluateChunk(int[] walkers, double[][] points, double[] values, float[][] outputs, double[][] gradients, int from, int n) {
        int size = probes.sampleSize(), k = clean.units();
        float[] in = probes.data(), images = new float[n * size];
        long t0 = System.nanoTime();
        parallel.forRange(n, 4, (a, b) -> {
            BilinearDeformer d = new BilinearDeformer(modes, probes.channels(), probes.height(), probes.width());
            for (int q = a; q < b; q++) {
                int p = probeOf[walkers[from + q]];
                d.deform(in, p * size, points[from + q], temperatures[p], images, q * size);
            }
        });
        long t1 = System.nanoTime();
        counters.deform += t1 - t0;
        ImageBatch batch = new ImageBatch(n, probes.channels(), probes.height(), probes.width(), images);
        float[] out;
        if (gradients == null) {
            out = model.forward(batch).data();
            counters.forward += System.nanoTime() - t1;
            counters.forwardImages += n;
        } else {
            Differentiable.InputGradient g = autograd.inputGradient(batch, act -> {
                float[] v = new float[act.data().length];
                for (int q = 0; q < n; q++) {
                    int p = probeOf[walkers[from + q]];
                    target.cotangent(act.data(), q * k, clean.data(), p * k, k, labels[p], v);
                }
                return v;
            });
            out = g.outputs().data();
            float[] up = g.gradient();
            parallel.forRange(n, 4, (a, b) -> {
                BilinearDeformer d = new BilinearDeformer(modes, probes.channels(), probes.height(), probes.width());
                for (int q = a; q < b; q++) {
                    int p = probeOf[walkers[from + q]];
                    d.gradient(in, p * size, points[from + q], temperatures[p], up, q * size, gradients[from + q]);
                }
            });
            counters.backward += System.nanoTime() - t1;
            counters.backwardImages += n;
        }
        for (int q = 0; q < n; q++) {
            int p = probeOf[walkers[from + q]];
            values[from + q] = target.value(out, q * k, clean.data(), p * k, k, labels[p]);
            outputs[from + q] = java.util.Arrays.copyOfRange(out, q * k, (q + 1) * k);
        }
    }
}
