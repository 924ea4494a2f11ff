/**
 * Validation written once: the checks every record, backend and command applies to cut-offs,
 * temperatures, strengths and counts, each failing with the project's one-line message
 * {@code "<name> must be <expected>, found <value>"} as an {@link java.lang.IllegalArgumentException}
 * (bad input, exit code 2 on the command line).
 */
package org.diffeo4j.validate;
