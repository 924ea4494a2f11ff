/**
 * Validation written once: the checks every record, backend and command applies to cut-offs,
 * temperatures, strengths and counts, each failing with the project's one-line message
 * {@code "<name> must be <expected>, found <value>"} as a {@link org.diffeo4j.validate.BadInputException}
 * (bad input, exit code 2 on the command line; the only type the command line maps to 2).
 */
package org.diffeo4j.validate;
