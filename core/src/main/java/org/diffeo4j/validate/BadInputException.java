package org.diffeo4j.validate;

/**
 * Bad input: an option, a file, a specification or an output folder the user gave is not usable, and
 * the message says which and why in the project's form {@code "<name> must be <expected>, found
 * <value>"}. The command line maps this type, and only this type, to exit code 2; every other failure
 * (a runtime's own {@link IllegalArgumentException} included) is a failure of the run, exit code 1.
 *
 * <p>It extends {@link IllegalArgumentException} so that library callers who validate arguments the
 * usual way keep catching it; the command line tells the two apart by type.
 */
public class BadInputException extends IllegalArgumentException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
