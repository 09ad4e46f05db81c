package org.jbhyve.bhyve.config;

/** Bad configuration from a person: the message names the input and the fix. bhyve exits with 4. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
