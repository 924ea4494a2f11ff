package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.verify.Comparison;
import org.diffeo4j.verify.Tolerances;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one twin harness (EJML's CheckMultiThreadAgainstSingleThread is the model): every backend
 * given, every operation of {@link DiffeoBackend}, on every awkward shape, against the Java
 * reference, in the heap and in the backend's own memory. It finds the operations by reflection,
 * fails when a backend does not implement one itself (an inherited default would be Java's, or
 * nothing), and returns how many checks it made so the caller asserts the count.
 */
public final class TwinHarness {
    /** A shape the operations run on: batch count, channels, height, width, cut. */
    public record Shape(int count, int channels, int height, int width, int cut) {
        @Override
        public String toString() {
            return count + "x" + channels + "x" + height + "x" + width + " c" + cut;
        }
    }

    /**
     * The union of the shape lists the native and cuda harnesses had: sides 1, 17, 28, 31, 32, 33,
     * 64, 224 and non-square (20x37, 37x20, 1x17, 9x13, 28x20), 1-4 channels, batch 1 to 1000 (1000
     * on the small sides keeps the run short), cuts from 2 to 30.
     */
    public static final List<Shape> SHAPES = List.of(
            new Shape(1, 1, 1, 1, 2), new Shape(1000, 3, 1, 1, 3), new Shape(1, 1, 17, 17, 3), new Shape(200, 3, 17, 17, 5),
            new Shape(1000, 1, 28, 28, 3), new Shape(1, 3, 28, 28, 3), new Shape(300, 1, 31, 31, 5), new Shape(1, 3, 31, 31, 4),
            new Shape(100, 3, 33, 33, 15), new Shape(1, 1, 33, 33, 6), new Shape(1, 4, 33, 33, 8), new Shape(1, 1, 64, 64, 10),
            new Shape(20, 3, 64, 64, 15), new Shape(1, 3, 224, 224, 30), new Shape(2, 1, 224, 224, 30), new Shape(1, 1, 20, 37, 4),
            new Shape(100, 3, 20, 37, 7), new Shape(20, 2, 20, 37, 7), new Shape(1, 3, 37, 20, 5), new Shape(3, 1, 1, 17, 3),
            new Shape(5, 4, 9, 13, 3), new Shape(7, 1, 28, 20, 6), new Shape(100, 3, 32, 32, 15));

    /** Typical and strongly clamping displacements (4 px also takes the large-field double path). */
    public static final double[] DELTAS = {1.0, 4.0};

    private TwinHarness() {
    }

    /** The operations of the interface: its abstract methods that compute (not metadata or allocation). */
    public static List<Method> operations() {
        Set<String> notOps = Set.of("name", "device", "memories", "allocateImages", "allocateFields");
        List<Method> ops = new ArrayList<>();
        for (Method m : DiffeoBackend.class.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !notOps.contains(m.getName())) {
                ops.add(m);
            }
        }
        ops.sort((a, b) -> a.getName().compareTo(b.getName()));
        return ops;
    }

    /** Runs everything; returns the number of (backend, operation, shape) checks made. */
    public static int run(List<DiffeoBackend> backends, List<Shape> shapes) {
        List<Method> ops = operations();
        TreeSet<String> missing = new TreeSet<>();
        for (DiffeoBackend b : backends) {
            for (Method m : ops) {
                try {
                    Method impl = b.getClass().getMethod(m.getName(), m.getParameterTypes());
                    if (impl.getDeclaringClass() == DiffeoBackend.class || impl.isDefault()) {
                        missing.add(b.name() + "." + m.getName());
                    }
                } catch (NoSuchMethodException e) {
                    missing.add(b.name() + "." + m.getName());
                }
            }
        }
        assertEquals(new TreeSet<String>(), missing, "operations a backend does not implement itself");
        int checks = 0;
        try (JavaBackend java = new JavaBackend(1)) {
            for (DiffeoBackend b : backends) {
                for (Shape s : shapes) {
                    for (Method m : ops) {
                        check(m.getName(), java, b, s);
                        checks++;
                    }
                }
            }
        }
        return checks;
    }

    static void check(String op, JavaBackend java, DiffeoBackend b, Shape s) {
        String where = b.name() + "." + op + " on " + s;
        long seed = 0x5EED_0000L + s.height() * 31L + s.channels(), first = (1L << 33) + 17;
        ImageBatch x = TwinChecks.images(s.count(), s.channels(), s.height(), s.width(), seed);
        CoefficientBatch z = CoefficientBatch.draw(s.cut(), seed, first, s.count());
        for (double delta : DELTAS) {
            check(op, java, b, s, where + " delta " + delta, x, z, TwinChecks.temperature(delta, s.cut(), s.height(), s.width()),
                    seed, first);
        }
    }

    static void check(String op, JavaBackend java, DiffeoBackend b, Shape s, String where, ImageBatch x, CoefficientBatch z,
                      double t, long seed, long first) {
        switch (op) {
            case "draw" -> {
                // libm vs Math differ by an ulp of a double at most: a float coefficient moves by one ulp
                // about once in 10^8 draws, hence 1e-6 and not equality
                CoefficientBatch got = b.draw(s.cut(), seed, first, s.count());
                passes(Comparison.of(where + " zu", TwinChecks.toDouble(z.zu()), got.zu(), 1e-6, 0));
                passes(Comparison.of(where + " zv", TwinChecks.toDouble(z.zv()), got.zv(), 1e-6, 0));
            }
            case "synthesizeInto" -> {
                FieldBatch want = java.synthesize(z, t, s.height(), s.width());
                try (FieldBatch own = b.allocateFields(s.count(), s.height(), s.width())) {
                    for (FieldBatch got : List.of(FieldBatch.zeros(s.count(), s.height(), s.width()), own)) {
                        b.synthesizeInto(z, t, got);
                        FieldBatch h = got.toHeap();
                        passes(Comparison.of(where + " dx in " + got.memory(), TwinChecks.toDouble(want.dx()), h.dx(), Tolerances.FIELD_ATOL, 0));
                        passes(Comparison.of(where + " dy in " + got.memory(), TwinChecks.toDouble(want.dy()), h.dy(), Tolerances.FIELD_ATOL, 0));
                    }
                }
            }
            case "remapInto" -> {
                FieldBatch f = java.synthesize(z, t, s.height(), s.width());
                nonFinite(java, b, x, f, where);
                for (Interpolation interp : Interpolation.values()) {
                    ImageBatch want = java.remap(x, f, interp);
                    for (Memory kind : kinds(b)) {
                        try (Resident r = new Resident(b, kind, x)) {
                            FieldBatch fr = kind == Memory.HEAP ? f : b.allocateFields(s.count(), s.height(), s.width());
                            if (fr != f) {
                                fr.dxFloats().write(f.dx(), 0, 0, f.dx().length);
                                fr.dyFloats().write(f.dy(), 0, 0, f.dy().length);
                            }
                            b.remapInto(r.in, fr, interp, r.out);
                            images(where + " " + interp + " in " + kind, want, r.out.toHeap(), f, interp);
                            if (fr != f) {
                                fr.close();
                            }
                        }
                    }
                }
            }
            case "deformInto" -> {
                for (Interpolation interp : Interpolation.values()) {
                    DiffeoSpec spec = new DiffeoSpec(s.cut(), t, interp);
                    ImageBatch want = java.deform(x, spec, seed, first);
                    FieldBatch f = java.synthesize(z, t, s.height(), s.width());
                    for (Memory kind : kinds(b)) {
                        try (Resident r = new Resident(b, kind, x)) {
                            b.deformInto(r.in, spec, seed, first, r.out);
                            images(where + " " + interp + " in " + kind, want, r.out.toHeap(), f, interp);
                        }
                    }
                }
            }
            case "addNoiseInto" -> {
                ImageBatch y = java.deform(x, new DiffeoSpec(s.cut(), t, Interpolation.BILINEAR), seed, first);
                ImageBatch want = java.addNoise(x, y, seed, first);
                for (Memory kind : kinds(b)) {
                    try (Resident r = new Resident(b, kind, x); Resident d = new Resident(b, kind, y)) {
                        b.addNoiseInto(r.in, d.in, seed, first, r.out);
                        passes(Comparison.of(where + " in " + kind, TwinChecks.toDouble(want.data()), r.out.toHeap().data(),
                                Tolerances.TWIN_ATOL, 0));
                    }
                }
            }
            case "squaredDistances" -> {
                ImageBatch y = java.deform(x, new DiffeoSpec(s.cut(), t, Interpolation.BILINEAR), seed, first);
                double[] want = java.squaredDistances(x, y);
                for (Memory kind : kinds(b)) {
                    try (Resident r = new Resident(b, kind, x); Resident d = new Resident(b, kind, y)) {
                        double[] got = new double[s.count()];
                        b.squaredDistances(r.in, d.in, got);
                        passes(Comparison.of(where + " in " + kind, want, got, 0, 1e-9));
                    }
                }
            }
            default -> throw new AssertionError("the harness has no check for operation " + op + ": add one");
        }
    }

    /**
     * Non-finite displacements do not crash or read out of bounds, and give what Java gives: an
     * infinite one clamps to the border; a NaN one reads pixel 0 (Java's (int) NaN) and yields NaN
     * where a weight is NaN (bilinear, gaussian) or pixel 0's value (nearest).
     */
    static void nonFinite(JavaBackend java, DiffeoBackend b, ImageBatch x, FieldBatch f0, String where) {
        int n = f0.dx().length;
        float[] dx = f0.dx().clone(), dy = f0.dy().clone();
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int k = 0; k < Math.min(40, n); k++) {
            int p = (int) ((k * 97L) % n);
            dx[p] = bad[k % 3];
            dy[(int) ((p * 7L + 3) % n)] = bad[(k + 1) % 3];
        }
        FieldBatch f = new FieldBatch(f0.count(), f0.height(), f0.width(), dx, dy);
        for (Interpolation interp : Interpolation.values()) {
            float[] want = java.remap(x, f, interp).data(), got = b.remap(x, f, interp).data();
            for (int k = 0; k < want.length; k++) {
                int i = k;
                assertTrue(Float.compare(want[k], got[k]) == 0 || Math.abs(want[k] - got[k]) <= Tolerances.TWIN_ATOL,
                        () -> where + " non-finite fields " + interp + " [" + i + "] expected " + want[i] + ", found " + got[i]);
            }
        }
    }

    /** The heap, and the backend's own memory when that is not the heap. */
    static List<Memory> kinds(DiffeoBackend b) {
        try (ImageBatch probe = b.allocateImages(1, 1, 1, 1)) {
            return probe.memory() == Memory.HEAP ? List.of(Memory.HEAP) : List.of(Memory.HEAP, probe.memory());
        }
    }

    /** An input copied into one memory kind, and an output batch in the same kind. */
    static final class Resident implements AutoCloseable {
        final ImageBatch in;
        final ImageBatch out;

        Resident(DiffeoBackend b, Memory kind, ImageBatch x) {
            if (kind == Memory.HEAP) {
                in = x;
                out = x.like();
            } else {
                in = b.allocateImages(x.count(), x.channels(), x.height(), x.width());
                x.copyTo(in);
                out = b.allocateImages(x.count(), x.channels(), x.height(), x.width());
            }
        }

        @Override
        public void close() {
            if (in.memory() != Memory.HEAP) {
                in.close();
                out.close();
            }
        }
    }

    private static void images(String what, ImageBatch want, ImageBatch got, FieldBatch f, Interpolation interp) {
        Comparison c = Comparison.of(what, TwinChecks.toDouble(want.data()), got.data(), Tolerances.TWIN_ATOL, 0);
        if (interp == Interpolation.NEAREST && !c.passed()) {
            TwinChecks.assertOnlyTies(want, got, f, c);
        } else {
            passes(c);
        }
    }

    private static void passes(Comparison c) {
        assertTrue(c.passed(), c::describe);
    }

    /** The expected count, for the caller's assertion: backends x operations x shapes. */
    public static int expected(int backends, List<Shape> shapes) {
        return backends * operations().size() * shapes.size();
    }

    /** Names for the report line. */
    public static String describe(List<DiffeoBackend> backends, List<Shape> shapes, int checks) {
        return "twin harness: " + backends.stream().map(b -> b.name() + " (" + b.device() + ")").toList() + " x "
                + operations().stream().map(Method::getName).toList() + " x " + shapes.size() + " shapes = " + checks
                + " checks (each at delta " + Arrays.toString(DELTAS) + ", every interpolation, heap and own memory)";
    }
}
