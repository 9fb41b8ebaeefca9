/**
 * Platform-neutral contracts for attributing traffic to processes: the OS socket table ({@link
 * io.bwdoctor.core.attribution.SocketTable}, {@link io.bwdoctor.core.attribution.SocketRecord}), close notifications
 * and the process catalog ({@link io.bwdoctor.core.attribution.ProcessCatalog}). Pure: no I/O, no native calls.
 */
package io.bwdoctor.core.attribution;
