package io.bwdoctor.core.attribution;

/** Told about sockets the moment the system destroys them, with their final counters. */
@FunctionalInterface
public interface SocketCloseListener {

    /** Called on the notifier's own thread; must be quick and must not throw. */
    void socketClosed(SocketRecord finalState);

    /** Some notifications were dropped (the receiver fell behind); their sockets were never reported. */
    default void notificationsLost() {}
}
