package org.diffeo4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Images processed, reported by JMH as the secondary score {@code images} in images/s. JMH's
 * {@code @OperationsPerInvocation} must be a compile-time constant, so with {@code batch} as a
 * {@code @Param} this counter is how the score becomes images per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ImageCounter {
    public long images;

    @Setup(Level.Iteration)
    public void reset() {
        images = 0;
    }
}
