/**
 * Linux adapters for per-process attribution, all through the FFM API (no JNI):
 * <ul>
 *   <li>{@link io.bwdoctor.platform.linux.SockDiag}: the socket table from NETLINK_SOCK_DIAG (TCP with tcp_info byte
 *       counters, UDP; raw and SCTP when the kernel has them), dumps and one-socket lookups;</li>
 *   <li>{@link io.bwdoctor.platform.linux.SocketCloseMonitor}: final counters of each socket the kernel destroys
 *       (the notifications carry inode 0: the inode comes from an earlier dump/lookup of the same cookie);</li>
 *   <li>{@link io.bwdoctor.platform.linux.ProcScanner}: socket inode → pid from /proc/PID/fd, and process facts;</li>
 *   <li>{@link io.bwdoctor.platform.linux.ProcEvents}: fork/exec/exit from the process connector, so that
 *       short-lived processes are described at exec.</li>
 * </ul>
 * Everything sees the network namespace the JVM runs in. Errors are {@link
 * io.bwdoctor.platform.linux.NetlinkException}s with one-line messages.
 */
package io.bwdoctor.platform.linux;
