/**
 * The {@code diffeo} command line (picocli). Subcommands parse and validate their options and
 * delegate to core; input errors print one {@code error:} line and exit 2, failures exit 1.
 */
package org.diffeo4j.cli;
