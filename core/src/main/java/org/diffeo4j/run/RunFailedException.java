package org.diffeo4j.run;

/**
 * The run itself failed (exit code 1 on the command line): a statistic is undefined, a file operation
 * failed mid-run, a journal refused a repeated key. Unlike {@link org.diffeo4j.validate.BadInputException}
 * no option the user gave is wrong; the message says what failed.
 */
public class RunFailedException extends RuntimeException {
    public RunFailedException(String message) {
        super(message);
    }

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
