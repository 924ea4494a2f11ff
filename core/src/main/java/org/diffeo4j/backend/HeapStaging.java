package org.diffeo4j.backend;

import org.diffeo4j.data.Floats;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;

/**
 * How a backend that computes on heap arrays takes batches from any memory: an input on the heap
 * is used as it is, any other is copied in; an output on the heap is written in place, any other is
 * computed into a heap array and copied out by {@link Output#commit()}.
 */
public final class HeapStaging {
    private HeapStaging() {
    }

    /** The heap array of {@code f}: itself on the heap, else a copy. */
    public static float[] in(Floats f) {
        return f.toArray();
    }

    /** The heap array of {@code images}: itself on the heap, else a copy. */
    public static float[] in(ImageBatch images) {
        return images.floats().toArray();
    }

    /** A heap target for {@code out}. */
    public static Output out(Floats out) {
        return new Output(out);
    }

    /** A heap target for {@code out}. */
    public static Output out(ImageBatch out) {
        return new Output(out.floats());
    }

    /** A heap array to compute into, and how it reaches its batch. */
    public static final class Output {
        private final Floats target;
        private final float[] array;

        Output(Floats target) {
            this.target = target;
            this.array = target.memory() == Memory.HEAP ? target.array() : new float[Math.toIntExact(target.length())];
        }

        /** Where to write. */
        public float[] array() {
            return array;
        }

        /** Copies the array into the batch when it is not the batch's own. */
        public void commit() {
            if (target.memory() != Memory.HEAP) {
                target.write(array, 0, 0, array.length);
            }
        }
    }
}
