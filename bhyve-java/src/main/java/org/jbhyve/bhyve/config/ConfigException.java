package org.jbhyve.bhyve.config;

/** Bad configuration from a person: the message names the input and the fix. bhyve exits with 4. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
