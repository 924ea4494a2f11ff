package org.diffeo4j.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --augment grammar: parts joined by +, canonical order, labels that parse back, one-line errors. */
class AugmentationTest {
    @Test
    void partsParseWithTheirDefaults() {
        assertTrue(Augmentation.parse("none").isNone());
        Augmentation sf = Augmentation.parse("shift+flip");
        assertNull(sf.diffeo());
        assertEquals(2, sf.shift());
        assertEquals(0.5, sf.flip());
        Augmentation mixed = Augmentation.parse("flip:p=0.25+diffeo:c_max=10,s_T=2+shift:pixels=4");
        assertEquals(4, mixed.shift());
        assertEquals(0.25, mixed.flip());
        assertEquals(AugmentSpec.parse("diffeo:c_max=10,s_T=2"), mixed.diffeo());
        assertEquals("diffeo:s_T=2,c_max=10+shift:pixels=4+flip:p=0.25", mixed.label(), "order applied, defaults left out");
    }

    @Test
    void aDiffeoAloneFormatsAsBeforeSoOldCheckpointsResume() {
        AugmentSpec d = AugmentSpec.parse("diffeo:c_max=10");
        assertEquals(d.format(), Augmentation.parse("diffeo:c_max=10").format());
        assertEquals("diffeo", Augmentation.parse("diffeo").label());
        assertEquals("none", Augmentation.NONE.format());
    }

    @Test
    void labelsAndFormatsParseBack() {
        for (String s : new String[]{"none", "diffeo", "shift:pixels=2", "flip", "shift:pixels=2+flip", "diffeo+flip:p=0.1",
            "diffeo:s_T=0.5,r_T=3,s_c=2,r_c=0.5,c_min=3,c_max=12,t_max_scale=2,interp=nearest,diffeomorphic=true,attempts=4+shift:pixels=1",
            "adversarial-diffeo", "adversarial-diffeo:steps=5,target=distance,c_max=8+flip", "adversarial-diffeo:s_T=0.5,r_T=3,t_max_scale=2"}) {
            Augmentation a = Augmentation.parse(s);
            assertEquals(a, Augmentation.parse(a.label()), s);
            assertEquals(a, Augmentation.parse(a.format()), s);
        }
    }

    @Test
    void badStringsAreOneLineErrorsNamingThePart() {
        assertEquals("augment must be none or parts joined by + among diffeo[:...], adversarial-diffeo[:...], shift[:pixels=N], flip[:p=X], found 'elastic'", message("elastic"));
        assertEquals("augment must name each of diffeo, shift, flip at most once, found 'flip+flip'", message("flip+flip"));
        assertEquals("shift pixels must be an integer, found 'x'", message("shift:pixels=x"));
        assertEquals("shift option must be pixels=value, found 'px=2'", message("shift:px=2"));
        assertEquals("shift pixels must be >= 1, found 0", message("shift:pixels=0"));
        assertEquals("shift pixels must be in [0, 64], found 65", message("shift:pixels=65"));
        assertEquals("flip p must be in [0, 1], found 2.0", message("flip:p=2"));
        assertEquals("flip p must be in (0, 1], found 0", message("flip:p=0"));
        assertEquals("r_c must be a finite number > 0, found 0.0", message("diffeo:r_c=0+flip"));
        assertTrue(message("diffeo+").startsWith("augment must be none or parts"), "an empty part");
        assertEquals("augment must hold one of diffeo and adversarial-diffeo (each deforms the image), found both", message("diffeo+adversarial-diffeo"));
        assertEquals("adversarial-diffeo steps must be in [1, 1000], found 0", message("adversarial-diffeo:steps=0"));
        assertEquals("adversarial-diffeo steps must be an integer, found 'two'", message("adversarial-diffeo:steps=two"));
        assertEquals("target must be distance or margin, found 'loss'", message("adversarial-diffeo:target=loss"));
        assertEquals("adversarial-diffeo key must be one of steps, target, s_T, r_T, s_c, r_c, c_min, c_max, t_max_scale, found 'interp'",
                message("adversarial-diffeo:interp=nearest"));
        assertEquals("c_min must be >= 2, found 1", message("adversarial-diffeo:c_min=1"));
    }

    @Test
    void adversarialDiffeoDefaultsAndItsSampling() {
        Augmentation a = Augmentation.parse("adversarial-diffeo+shift:pixels=1");
        assertNull(a.diffeo());
        assertEquals(new AdversarialSpec(AugmentSpec.defaults(), AdversarialSpec.DEFAULT_STEPS, org.diffeo4j.attack.Target.MARGIN), a.adversarial());
        assertEquals("adversarial-diffeo+shift:pixels=1", a.label());
        assertEquals("adversarial-diffeo:steps=3,target=margin,s_T=1.0,r_T=1.0,s_c=1.0,r_c=1.0,c_min=2,c_max=auto,t_max_scale=1.0+shift:pixels=1",
                a.format());
        assertTrue(a.drawsAhead(), "the shift is drawn ahead");
        assertFalse(Augmentation.parse("adversarial-diffeo").drawsAhead(), "the worst case alone is computed at the step");
        assertFalse(Augmentation.parse("adversarial-diffeo").isNone());
        AdversarialSpec s = Augmentation.parse("adversarial-diffeo:r_T=3,c_max=8,steps=2").adversarial();
        assertEquals(AugmentSpec.parse("diffeo:r_T=3,c_max=8"), s.sampling(), "the sampling keys are the diffeo augmentation's");
        assertEquals(2, s.steps());
    }

    private static String message(String s) {
        return assertThrows(IllegalArgumentException.class, () -> Augmentation.parse(s)).getMessage();
    }
}
