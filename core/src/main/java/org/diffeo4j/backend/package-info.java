/**
 * Backends are twins behind one interface ({@link org.diffeo4j.backend.DiffeoBackend}): the
 * pure-Java reference here, and the native (JavaCPP) and CUDA (JCuda) backends of their own modules,
 * found with {@link java.util.ServiceLoader} through {@link org.diffeo4j.backend.BackendProvider}.
 * Core never imports JCuda, JavaCPP or ND4J types.
 */
package org.diffeo4j.backend;
