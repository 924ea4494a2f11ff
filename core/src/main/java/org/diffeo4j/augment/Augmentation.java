package org.diffeo4j.augment;

import org.diffeo4j.validate.BadInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training-time augmentation: any of the authors' diffeo ({@link AugmentSpec}) or the worst-case
 * diffeo at the authors' (c, T) ({@link AdversarialSpec}), a random shift and a
 * horizontal flip ({@link ShiftFlip}), written {@code none} or parts joined by {@code +}:
 * {@code diffeo[:...]} or {@code adversarial-diffeo[:...]}, {@code shift[:pixels=K]} (default 2), {@code flip[:p=P]} (default 0.5), e.g.
 * {@code shift:pixels=2+flip} or {@code diffeo+flip}. Each kind at most once; whatever the order
 * written, they apply in the order diffeo, shift, flip (each draw is addressed by (seed, epoch,
 * image) on its own streams, docs/augment.md, so the order changes the images, not the draws); the
 * adversarial diffeo, which depends on the net's current weights, last, just before the training step.
 *
 * @param diffeo null: no diffeo
 * @param shift largest shift per axis in pixels, 0: none
 * @param flip probability of a horizontal flip, 0: none
 * @param adversarial null: no adversarial diffeo (never beside {@code diffeo})
 */
public record Augmentation(AugmentSpec diffeo, int shift, double flip, AdversarialSpec adversarial) {
    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(null, 0, 0);
    /** torchvision's usual {@code RandomCrop(28, padding=2)}-like shift. */
    public static final int DEFAULT_SHIFT = 2;
    /** {@code RandomHorizontalFlip()}'s p. */
    public static final double DEFAULT_FLIP = 0.5;
    private static final String GRAMMAR = "none or parts joined by + among diffeo[:...], adversarial-diffeo[:...], shift[:pixels=N], flip[:p=X]";

    /** Without an adversarial diffeo. */
    public Augmentation(AugmentSpec diffeo, int shift, double flip) {
        this(diffeo, shift, flip, null);
    }

    public Augmentation {
        if (diffeo != null && adversarial != null) {
            throw new BadInputException("augment must hold one of diffeo and adversarial-diffeo (each deforms the image), found both");
        }
        if (shift < 0 || shift > 64) {
            throw new BadInputException("shift pixels must be in [0, 64], found " + shift);
        }
        if (!(flip >= 0 && flip <= 1)) {
            throw new BadInputException("flip p must be in [0, 1], found " + flip);
        }
    }

    /** Only the diffeo. */
    public static Augmentation of(AugmentSpec diffeo) {
        return new Augmentation(diffeo, 0, 0);
    }

    /** True when nothing is applied. */
    public boolean isNone() {
        return diffeo == null && shift == 0 && flip == 0 && adversarial == null;
    }

    /** True when something is applied before the training step (a drawn diffeo, a shift or a flip). */
    public boolean drawsAhead() {
        return diffeo != null || shift > 0 || flip > 0;
    }

    /** The shift and flip of this augmentation, or null when it has neither. */
    public ShiftFlip shiftFlip(long seed) {
        return shift == 0 && flip == 0 ? null : new ShiftFlip(shift, flip, seed);
    }

    /** Parses the grammar of the class comment; bad parts are refused naming the part. */
    public static Augmentation parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("none")) {
            return NONE;
        }
        AugmentSpec diffeo = null;
        AdversarialSpec adversarial = null;
        int shift = 0;
        double flip = 0;
        List<String> seen = new ArrayList<>();
        for (String part : t.split("\\+", -1)) {
            String p = part.trim(), head = p.contains(":") ? p.substring(0, p.indexOf(':')) : p;
            if (seen.contains(head)) {
                throw new BadInputException("augment must name each of diffeo, shift, flip at most once, found '" + text + "'");
            }
            seen.add(head);
            switch (head) {
                case "diffeo" -> diffeo = AugmentSpec.parse(p);
                case AdversarialSpec.HEAD -> adversarial = AdversarialSpec.parse(p);
                case "shift" -> shift = option(p, "pixels", "shift", DEFAULT_SHIFT, true).intValue();
                case "flip" -> flip = option(p, "p", "flip", DEFAULT_FLIP, false).doubleValue();
                default -> throw new BadInputException("augment must be " + GRAMMAR + ", found '" + text + "'");
            }
        }
        if (shift == 0 && seen.contains("shift")) {
            throw new BadInputException("shift pixels must be >= 1, found 0");
        }
        if (flip == 0 && seen.contains("flip")) {
            throw new BadInputException("flip p must be in (0, 1], found 0");
        }
        return new Augmentation(diffeo, shift, flip, adversarial);
    }

    /** {@code head[:key=value]} with one optional key. */
    private static Number option(String part, String key, String head, Number fallback, boolean integer) {
        if (!part.contains(":")) {
            return fallback;
        }
        String rest = part.substring(part.indexOf(':') + 1);
        int eq = rest.indexOf('=');
        if (eq < 1 || !rest.substring(0, eq).trim().equals(key)) {
            throw new BadInputException(head + " option must be " + key + "=value, found '" + rest + "'");
        }
        String v = rest.substring(eq + 1).trim();
        try {
            return integer ? Integer.parseInt(v) : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new BadInputException(head + " " + key + " must be " + (integer ? "an integer" : "a number") + ", found '" + v + "'");
        }
    }

    /**
     * The full option string, parts in the order applied ({@code none} when nothing). A diffeo alone
     * is {@link AugmentSpec#format()} exactly, the string training runs key their checkpoints with.
     */
    public String format() {
        return join(diffeo != null ? diffeo.format() : adversarial == null ? null : adversarial.format());
    }

    /** The shortest string that parses back to this augmentation: defaults left out ({@code diffeo}, {@code shift:pixels=2+flip}). */
    public String label() {
        return join(diffeo != null ? diffeoLabel(diffeo) : adversarial == null ? null : adversarial.label());
    }

    private String join(String d) {
        if (isNone()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (d != null) {
            parts.add(d);
        }
        if (shift > 0) {
            parts.add("shift:pixels=" + shift);
        }
        if (flip > 0) {
            parts.add(flip == DEFAULT_FLIP ? "flip" : "flip:p=" + num(flip));
        }
        return String.join("+", parts);
    }

    /** {@code diffeo} with only the options that differ from the defaults. */
    private static String diffeoLabel(AugmentSpec s) {
        AugmentSpec d = AugmentSpec.defaults();
        Map<String, String> kv = new LinkedHashMap<>();
        put(kv, "s_T", s.sT(), d.sT());
        put(kv, "r_T", s.rT(), d.rT());
        put(kv, "s_c", s.sCut(), d.sCut());
        put(kv, "r_c", s.rCut(), d.rCut());
        put(kv, "c_min", s.cutMin(), d.cutMin());
        if (s.cutMax() != d.cutMax()) {
            kv.put("c_max", Integer.toString(s.cutMax()));
        }
        put(kv, "t_max_scale", s.tMaxScale(), d.tMaxScale());
        if (s.interpolation() != d.interpolation()) {
            kv.put("interp", s.interpolation().cliName());
        }
        if (s.diffeomorphic() != d.diffeomorphic()) {
            kv.put("diffeomorphic", Boolean.toString(s.diffeomorphic()));
        }
        if (s.attempts() != d.attempts()) {
            kv.put("attempts", Integer.toString(s.attempts()));
        }
        StringBuilder b = new StringBuilder("diffeo");
        String sep = ":";
        for (Map.Entry<String, String> e : kv.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return b.toString();
    }

    private static void put(Map<String, String> kv, String key, double v, double fallback) {
        if (v != fallback) {
            kv.put(key, num(v));
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
