package io.bwdoctor.platform.linux;

/** Why an egress protection could not be installed or removed; the message is one line for the user. */
public final class ProtectionException extends Exception {
    public ProtectionException(String message) {
        super(message);
    }
}
