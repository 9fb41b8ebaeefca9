package io.bwdoctor.core.live;

/**
 * One conversation with its owner, from the local host's point of view, for analyses that need every conversation
 * (diagnose's per-process fan-out, scans and remotes) rather than a display's busiest few.
 *
 * @param pid        owning process, or -1 when unattributed
 * @param reason     the unattributed reason key when pid is -1, else null
 * @param remotePort -1 when the protocol has no ports
 * @param inbound    the remote side sent the conversation's first packet (a client of a local server)
 * @param stratum    a Stratum method seen in this conversation's payloads, or null
 */
public record ConversationSummary(int pid, String reason, int protocol, int version, long remoteHi, long remoteLo,
                                  int remotePort, int localPort, boolean inbound, long txBytes, long rxBytes,
                                  long txPackets, long rxPackets, String stratum) {}
