package org.diffeo4j.attack;

/**
 * Where an attack's time went and how much it evaluated, accumulated over a run: wall time of the
 * deformations (Java), of the model's passes (forward only, or forward and backward) and of the rest
 * (statistics, noise); images evaluated by forward only and by forward + backward. Not thread-safe:
 * one per run, updated by the thread that drives it.
 */
public final class AttackCounters {
    long deform, forward, backward, other;
    long forwardImages, backwardImages;

    public double deformSeconds() {
        return deform / 1e9;
    }

    /** Forward-only passes of the model. */
    public double forwardSeconds() {
        return forward / 1e9;
    }

    /** Forward + backward passes (gradient method), including the chain rule through the deformation. */
    public double backwardSeconds() {
        return backward / 1e9;
    }

    public double otherSeconds() {
        return other / 1e9;
    }

    /** Images the model evaluated without gradients. */
    public long forwardImages() {
        return forwardImages;
    }

    /** Images the model evaluated with a backward pass to the input. */
    public long backwardImages() {
        return backwardImages;
    }
}
