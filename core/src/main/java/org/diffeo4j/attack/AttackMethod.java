package org.diffeo4j.attack;

import org.diffeo4j.validate.BadInputException;
import java.util.Locale;

/**
 * How the attack climbs: with the model's input gradients chained through the deformation
 * ({@link #GRADIENT}, models that implement {@link org.diffeo4j.model.Differentiable}), or with
 * central finite differences along each coefficient ({@link #DERIVATIVE_FREE}, any model: the vector
 * has only 2M entries, M ~ pi c^2 / 4 modes per field).
 */
public enum AttackMethod {
    GRADIENT, DERIVATIVE_FREE;

    /** {@code gradient} or {@code derivative-free}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code gradient|derivative-free}. */
    public static AttackMethod parse(String s) {
        for (AttackMethod m : values()) {
            if (m.cliName().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new BadInputException("method must be gradient or derivative-free, found '" + s + "'");
    }
}
