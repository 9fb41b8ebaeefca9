package io.bwdoctor.config;

/** A configuration or rules file is missing or wrong; the message says which file and what. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
