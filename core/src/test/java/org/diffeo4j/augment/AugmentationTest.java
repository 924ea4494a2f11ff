package org.diffeo4j.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            "diffeo:s_T=0.5,r_T=3,s_c=2,r_c=0.5,c_min=3,c_max=12,t_max_scale=2,interp=nearest,diffeomorphic=true,attempts=4+shift:pixels=1"}) {
            Augmentation a = Augmentation.parse(s);
            assertEquals(a, Augmentation.parse(a.label()), s);
            assertEquals(a, Augmentation.parse(a.format()), s);
        }
    }

    @Test
    void badStringsAreOneLineErrorsNamingThePart() {
        assertEquals("augment must be none or parts joined by + among diffeo[:...], shift[:pixels=N], flip[:p=X], found 'elastic'", message("elastic"));
        assertEquals("augment must name each of diffeo, shift, flip at most once, found 'flip+flip'", message("flip+flip"));
        assertEquals("shift pixels must be an integer, found 'x'", message("shift:pixels=x"));
        assertEquals("shift option must be pixels=value, found 'px=2'", message("shift:px=2"));
        assertEquals("shift pixels must be >= 1, found 0", message("shift:pixels=0"));
        assertEquals("shift pixels must be in [0, 64], found 65", message("shift:pixels=65"));
        assertEquals("flip p must be in [0, 1], found 2.0", message("flip:p=2"));
        assertEquals("flip p must be in (0, 1], found 0", message("flip:p=0"));
        assertEquals("r_c must be a finite number > 0, found 0.0", message("diffeo:r_c=0+flip"));
        assertTrue(message("diffeo+").startsWith("augment must be none or parts"), "an empty part");
    }

    private static String message(String s) {
        return assertThrows(IllegalArgumentException.class, () -> Augmentation.parse(s)).getMessage();
    }
}
