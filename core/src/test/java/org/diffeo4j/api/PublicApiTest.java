package org.diffeo4j.api;

import org.diffeo4j.backend.DiffeoBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Core's compiled public API names no third-party type (ND4J/DL4J, ONNX Runtime, JCuda, JavaCPP,
 * Gson, ...): every public or protected member of every public class of core's main classes is read
 * by reflection, generics included, and each type must come from the JDK or org.diffeo4j.
 */
public class PublicApiTest {
    static boolean allowed(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return true;
        }
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("org.diffeo4j.");
    }

    /** Every class of core's main output (where DiffeoBackend was loaded from). */
    static List<Class<?>> coreClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(DiffeoBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("package-info.class")).toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                out.add(Class.forName(name, false, PublicApiTest.class.getClassLoader()));
            }
        }
        return out;
    }

    static boolean exposed(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers()) && !Modifier.isProtected(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    static void check(Type t, String where, TreeSet<String> bad) {
        if (t instanceof Class<?> c) {
            if (!allowed(c)) {
                bad.add(where + ": " + c.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            check(p.getRawType(), where, bad);
            for (Type a : p.getActualTypeArguments()) {
                check(a, where, bad);
            }
        } else if (t instanceof GenericArrayType g) {
            check(g.getGenericComponentType(), where, bad);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(b, where, bad);
            }
            for (Type b : w.getLowerBounds()) {
                check(b, where, bad);
            }
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                if (b != t) {
                    check(b, where, bad);
                }
            }
        }
    }

    /** The third-party types found in the public API of {@code classes}, one line each. */
    static TreeSet<String> violations(List<Class<?>> classes) {
        TreeSet<String> bad = new TreeSet<>();
        for (Class<?> c : classes) {
            if (!exposed(c)) {
                continue;
            }
            String n = c.getName();
            check(c.getGenericSuperclass(), n + " extends", bad);
            for (Type i : c.getGenericInterfaces()) {
                check(i, n + " implements", bad);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (!visible(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                String w = n + "." + m.getName();
                check(m.getGenericReturnType(), w, bad);
                for (Type p : m.getGenericParameterTypes()) {
                    check(p, w, bad);
                }
                for (Type e : m.getGenericExceptionTypes()) {
                    check(e, w, bad);
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers()) && !k.isSynthetic()) {
                    for (Type p : k.getGenericParameterTypes()) {
                        check(p, n + ".<init>", bad);
                    }
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    check(f.getGenericType(), n + "." + f.getName(), bad);
                }
            }
        }
        return bad;
    }

    @Test
    void coreApiNamesNoThirdPartyType() throws Exception {
        List<Class<?>> classes = coreClasses();
        assertTrue(classes.size() > 50, "expected core's classes, found " + classes.size());
        TreeSet<String> bad = violations(classes);
        assertEquals(new TreeSet<String>(), bad, "third-party types in core's public API");
    }

    /** The check itself finds a third-party type (Gson's, on core's class path) where one is exposed. */
    @Test
    void theCheckFindsAnExposedForeignType() {
        TreeSet<String> bad = violations(List.of(Leaky.class));
        assertEquals(2, bad.size(), bad.toString());
        assertTrue(bad.first().endsWith("generic: com.google.gson.JsonElement"), bad.toString());
        assertTrue(bad.last().endsWith("leak: com.google.gson.JsonObject"), bad.toString());
    }

    /** A class that leaks Gson in a return type and a generic parameter. */
    public static final class Leaky {
        public com.google.gson.JsonObject leak() {
            return null;
        }

        public void generic(List<? extends com.google.gson.JsonElement> list) {
        }

        void hidden(com.google.gson.JsonArray a) {
        }
    }
}
