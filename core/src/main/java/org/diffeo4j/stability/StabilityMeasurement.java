package org.diffeo4j.stability;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference protocol (DESIGN.md section 1; Petrini et al. 2021, Sections 3 and 5) for a model on
 * probe images, over a {@link StabilitySpec} sweep. Realisation r of every cell draws probe i's diffeo
 * and noise at sample address {@code r*P + i} (see the package documentation).
 */
public final class StabilityMeasurement {
    /** Told after each realisation. */
    public interface Listener {
        void step(int done, int total);
    }

    /**
     * Where finished cells go, and where cells of an interrupted run are found again (a JSONL log):
     * a cell found is not recomputed. Realisation addresses do not depend on the cell, so a resumed
     * sweep gives the same numbers as an uninterrupted one.
     */
    public interface CellStore {
        /** The stored result of the cell at (cut, temperature), if any. */
        Optional<CellResult> find(int cut, double temperature);

        /** Records a finished cell. */
        void finished(CellResult cell);

        /** Keeps nothing. */
        CellStore NONE = new CellStore() {
            @Override
            public Optional<CellResult> find(int cut, double temperature) {
                return Optional.empty();
            }

            @Override
            public void finished(CellResult cell) {
            }
        };
    }

    private final Model model;
    private final DiffeoBackend backend;
    private final Timings timings = new Timings();

    /** @param model and backend are used, not closed */
    public StabilityMeasurement(Model model, DiffeoBackend backend) {
        this.model = model;
        this.backend = backend;
    }

    /** Time spent so far, by phase. */
    public Timings timings() {
        return timings;
    }

    /** Runs the sweep: cells in order cut-major, then strength. {@code probes} is not modified. */
    public List<CellResult> run(ImageBatch probes, StabilitySpec spec, Listener listener) {
        return run(probes, spec, listener, CellStore.NONE);
    }

    /** Runs the sweep, skipping the cells {@code store} already holds and giving it each new one. */
    public List<CellResult> run(ImageBatch probes, StabilitySpec spec, Listener listener, CellStore store) {
        model.requireInput(probes);
        Clean clean = null; // prepared on the first cell not found in the store; closed however the run ends
        int n = Math.max(probes.height(), probes.width()), total = spec.steps(), done = 0;
        List<CellResult> cells = new ArrayList<>();
        try {
            for (int cut : spec.cuts()) {
                for (int t = 0; t < spec.strengths(); t++) {
                    double delta = spec.deltas().isEmpty() ? Double.NaN : spec.deltas().get(t);
                    DiffeoSpec d = spec.deltas().isEmpty() ? new DiffeoSpec(cut, spec.temperatures().get(t), spec.interp())
                            : DiffeoSpec.ofDelta(cut, delta, n, spec.interp());
                    Optional<CellResult> known = store.find(cut, d.temperature());
                    if (known.isPresent()) {
                        cells.add(known.get());
                        done += spec.realisations();
                        listener.step(done, total);
                        continue;
                    }
                    if (clean == null) {
                        clean = prepare(probes, spec.interp(), spec.average(), spec.layers());
                    }
                    Map<String, List<Sensitivities>> perLayer = new LinkedHashMap<>();
                    for (int r = 0; r < spec.realisations(); r++) {
                        realisation(clean, d, spec.average(), spec.seed(), (long) r * probes.count())
                                .forEach((k, v) -> perLayer.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                        listener.step(++done, total);
                    }
                    Map<String, LayerResult> layers = new LinkedHashMap<>();
                    for (String l : spec.layers()) {
                        layers.put(l, LayerResult.of(perLayer.get(l)));
                    }
                    CellResult cell = new CellResult(cut, delta, d.temperature(), spec.interp(), spec.average(),
                            LayerResult.of(perLayer.get(Model.OUTPUT)), layers);
                    store.finished(cell);
                    cells.add(cell);
                }
            }
        } finally {
            if (clean != null) {
                clean.close();
            }
        }
        return cells;
    }

    /**
     * The clean side, shared by every cell: the images x (Gaussian-smoothed for Gaussian
     * interpolation, as the reference does), their activations and normalisations, and the working
     * batches of the realisations in the backend's own memory (so a GPU keeps the images on the
     * device between deformation and noise and copies back only what the model reads). Close it to
     * free that memory.
     *
     * @param raw the images as loaded (heap); deformations start from them
     * @param base x of the protocol (heap): the noise is added to it and f(x) computed from it
     */
    public record Clean(ImageBatch raw, ImageBatch base, Map<String, Activations> activations, Map<String, Double> deno,
                        List<String> layers, Work work) implements AutoCloseable {
        @Override
        public void close() {
            if (work != null) {
                work.close();
            }
        }
    }

    /** raw and base as the backend reads them without copying, and the two outputs of a realisation. */
    record Work(ImageBatch raw, ImageBatch base, ImageBatch deformed, ImageBatch noisy, List<ImageBatch> owned)
            implements AutoCloseable {
        static Work on(DiffeoBackend backend, ImageBatch raw, ImageBatch base) {
            List<ImageBatch> owned = new ArrayList<>();
            ImageBatch r = resident(backend, raw, owned);
            ImageBatch b = base == raw ? r : resident(backend, base, owned);
            ImageBatch d = backend.allocateImages(raw.count(), raw.channels(), raw.height(), raw.width());
            ImageBatch n = backend.allocateImages(raw.count(), raw.channels(), raw.height(), raw.width());
            owned.add(d);
            owned.add(n);
            return new Work(r, b, d, n, owned);
        }

        private static ImageBatch resident(DiffeoBackend backend, ImageBatch x, List<ImageBatch> owned) {
            if (backend.memories().contains(x.memory())) {
                return x;
            }
            ImageBatch copy = backend.allocateImages(x.count(), x.channels(), x.height(), x.width());
            owned.add(copy);
            x.copyTo(copy);
            return copy;
        }

        @Override
        public void close() {
            owned.forEach(ImageBatch::close);
        }
    }

    /** Smooths (when Gaussian), evaluates and normalises the clean probes. */
    public Clean prepare(ImageBatch probes, Interpolation interp, Average average, List<String> layers) {
        long t0 = System.nanoTime();
        ImageBatch raw = probes.toHeap();
        ImageBatch base = smoothed(backend, raw, interp);
        long t1 = System.nanoTime();
        Map<String, Activations> act = model.forward(base, layers);
        long t2 = System.nanoTime();
        Map<String, Double> deno = new LinkedHashMap<>();
        act.forEach((k, v) -> deno.put(k, Statistics.deno(v, average)));
        long t3 = System.nanoTime();
        timings.deform += t1 - t0;
        timings.forward += t2 - t1;
        timings.statistics += t3 - t2;
        return new Clean(raw, base, act, deno, List.copyOf(layers), Work.on(backend, raw, base));
    }

    /**
     * One realisation at sample addresses {@code firstSample + i}: sensitivities per layer (key
     * {@link Model#OUTPUT} first). Deformation and noise run on the backend, in its memory; only the
     * two batches the model reads come back to the heap.
     */
    public Map<String, Sensitivities> realisation(Clean clean, DiffeoSpec d, Average average, long seed, long firstSample) {
        Work w = clean.work();
        long t0 = System.nanoTime();
        backend.deformInto(w.raw(), d, seed, firstSample, w.deformed());
        long t1 = System.nanoTime();
        backend.addNoiseInto(w.base(), w.deformed(), seed, firstSample, w.noisy());
        long t2 = System.nanoTime();
        ImageBatch deformed = w.deformed().toHeap(), noisy = w.noisy().toHeap();
        long t3 = System.nanoTime();
        timings.deform += t1 - t0;
        timings.noise += t2 - t1;
        timings.transfer += t3 - t2;
        return compare(clean, deformed, noisy, average);
    }

    /** D and G of every layer from the deformed and noisy images. */
    Map<String, Sensitivities> compare(Clean clean, ImageBatch deformed, ImageBatch noisy, Average average) {
        long t0 = System.nanoTime();
        Map<String, Activations> fd = model.forward(deformed, clean.layers());
        Map<String, Activations> fn = model.forward(noisy, clean.layers());
        long t1 = System.nanoTime();
        Map<String, Sensitivities> out = new LinkedHashMap<>();
        for (Map.Entry<String, Activations> e : clean.activations().entrySet()) {
            double deno = clean.deno().get(e.getKey());
            out.put(e.getKey(), new Sensitivities(deno,
                    Statistics.sensitivity(e.getValue(), fd.get(e.getKey()), average) / deno,
                    Statistics.sensitivity(e.getValue(), fn.get(e.getKey()), average) / deno));
        }
        timings.statistics += System.nanoTime() - t1;
        timings.forward += t1 - t0;
        return out;
    }

    /** x itself, or for Gaussian interpolation its remap through the zero field (the reference's smoothing). */
    public static ImageBatch smoothed(DiffeoBackend backend, ImageBatch images, Interpolation interp) {
        if (interp != Interpolation.GAUSSIAN) {
            return images;
        }
        return backend.remap(images, FieldBatch.zeros(images.count(), images.height(), images.width()), interp);
    }
}
