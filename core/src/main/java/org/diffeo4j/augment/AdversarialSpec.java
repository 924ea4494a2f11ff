package org.diffeo4j.augment;

import org.diffeo4j.validate.BadInputException;
import org.diffeo4j.attack.Target;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adversarial diffeo augmentation (issue 22, item 2), written
 * {@code adversarial-diffeo[:steps=N,target=margin|distance,s_T=..,r_T=..,s_c=..,r_c=..,c_min=..,c_max=..,t_max_scale=..]}:
 * image i of epoch e gets the (c, T) the authors' transform draws for it ({@link DiffeoAugment} with
 * {@link #sampling}), and instead of that draw's field the worst field of the current net at (c, T) with
 * the same energy {@code sum (i^2 + j^2) C_ij^2 = 2 M T} as the typical draw ({@code diffeo attack}'s
 * constraint, {@link org.diffeo4j.attack.ModeVectors}): {@link #steps} projected-ascent steps with the
 * net's input gradients from that draw scaled onto the sphere. Bilinear only (the deformation whose
 * derivative the attack has in closed form); the fields are not conditioned on being diffeomorphisms
 * (the energy is the typical one; docs/attack.md).
 *
 * @param sampling the (c, T) distribution and the starting draw; its interpolation is bilinear, without the guarantee
 * @param steps ascent steps per batch, each one forward and backward pass of the batch, >= 1
 * @param target what the worst case maximises: minus the true class's margin (default) or the output distance
 */
public record AdversarialSpec(AugmentSpec sampling, int steps, Target target) {
    /** Ascent steps by default: the attack's restarts find most of the worst case in its first steps (docs/attack.md). */
    public static final int DEFAULT_STEPS = 3;
    static final String HEAD = "adversarial-diffeo";
    private static final String KEYS = "steps, target, s_T, r_T, s_c, r_c, c_min, c_max, t_max_scale";

    public AdversarialSpec {
        if (sampling == null || target == null) {
            throw new BadInputException("adversarial-diffeo needs its sampling and target, found " + (sampling == null ? "no sampling" : "no target"));
        }
        if (sampling.interpolation() != org.diffeo4j.interp.Interpolation.BILINEAR || sampling.diffeomorphic()) {
            throw new BadInputException("adversarial-diffeo must use bilinear interpolation without the diffeomorphism guarantee, found interp="
                    + sampling.interpolation().cliName() + ", diffeomorphic=" + sampling.diffeomorphic());
        }
        if (steps < 1 || steps > 1000) {
            throw new BadInputException("adversarial-diffeo steps must be in [1, 1000], found " + steps);
        }
    }

    /** Parses the grammar of the class comment; unknown keys and bad values are refused naming them. */
    public static AdversarialSpec parse(String text) {
        String t = text == null ? "" : text.trim();
        String head = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
        if (!head.equals(HEAD)) {
            throw new BadInputException("augment must be " + HEAD + "[:" + KEYS.replace(", ", "=..,") + "=..], found '" + text + "'");
        }
        int steps = DEFAULT_STEPS;
        Target target = Target.MARGIN;
        StringBuilder sampling = new StringBuilder("diffeo");
        String sep = ":";
        if (t.contains(":")) {
            for (String part : t.substring(t.indexOf(':') + 1).split(",")) {
                int eq = part.indexOf('=');
                if (eq < 1) {
                    throw new BadInputException("augment option must be key=value, found '" + part + "'");
                }
                String k = part.substring(0, eq).trim(), v = part.substring(eq + 1).trim();
                switch (k) {
                    case "steps" -> {
                        try {
                            steps = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new BadInputException("adversarial-diffeo steps must be an integer, found '" + v + "'");
                        }
                    }
                    case "target" -> target = Target.parse(v);
                    case "s_T", "r_T", "s_c", "r_c", "c_min", "c_max", "t_max_scale" -> {
                        sampling.append(sep).append(k).append('=').append(v);
                        sep = ",";
                    }
                    default -> throw new BadInputException("adversarial-diffeo key must be one of " + KEYS + ", found '" + k + "'");
                }
            }
        }
        return new AdversarialSpec(AugmentSpec.parse(sampling.toString()), steps, target);
    }

    /** Every option written out: the string training runs key their checkpoints with. */
    public String format() {
        String d = sampling.format();
        // the sampling's own keys without interp, diffeomorphic, attempts (fixed here)
        String keys = d.substring(d.indexOf(':') + 1).replaceAll(",interp=[^,]*,diffeomorphic=[^,]*,attempts=[^,]*$", "");
        return HEAD + ":steps=" + steps + ",target=" + target.cliName() + "," + keys;
    }

    /** The shortest string that parses back to this spec (defaults left out). */
    public String label() {
        Map<String, String> kv = new LinkedHashMap<>();
        if (steps != DEFAULT_STEPS) {
            kv.put("steps", Integer.toString(steps));
        }
        if (target != Target.MARGIN) {
            kv.put("target", target.cliName());
        }
        String d = Augmentation.of(sampling).label();
        if (d.contains(":")) {
            for (String part : d.substring(d.indexOf(':') + 1).split(",")) {
                kv.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
            }
        }
        StringBuilder b = new StringBuilder(HEAD);
        String sep = ":";
        for (Map.Entry<String, String> e : kv.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return b.toString();
    }
}
