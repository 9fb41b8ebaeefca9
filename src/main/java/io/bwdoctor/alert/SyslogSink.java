package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.platform.linux.NetlinkException;
import io.bwdoctor.platform.linux.UnixDatagramSocket;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Sends each event as one syslog message to the local syslog socket (/dev/log, read by journald or rsyslog), facility
 * daemon, tag "bwdoctor", severity warning on open and notice on close. The default format is the one glibc's
 * syslog(3) writes to /dev/log (RFC 3164 without hostname), which every local daemon parses; RFC 5424 is available
 * for daemons configured for it. Never blocks: the socket is non-blocking and a full queue drops the message (counted).
 * When the socket is missing, says so once on {@code warnings} and carries on (it is tried again on the next event).
 * Linux only (the socket is opened through libc).
 */
public final class SyslogSink implements AlertSink {
    public static final String DEFAULT_SOCKET = "/dev/log";
    static final int FACILITY_DAEMON = 3, SEVERITY_WARNING = 4, SEVERITY_NOTICE = 5;
    private static final String TAG = "bwdoctor";
    /** Keeps messages within what every syslog daemon accepts on the local socket without truncation. */
    static final int MAX_MESSAGE_BYTES = 2048;
    private static final DateTimeFormatter RFC3164_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    public enum Format { RFC3164, RFC5424 }

    private final String socketPath;
    private final Format format;
    private final PrintStream warnings;
    private final LongSupplier clockMillis;
    private final String hostname;
    private final long pid = ProcessHandle.current().pid();
    private UnixDatagramSocket socket;
    private boolean warned;
    private long sent, dropped;

    public SyslogSink(PrintStream warnings) {
        this(DEFAULT_SOCKET, Format.RFC3164, warnings);
    }

    public SyslogSink(String socketPath, Format format, PrintStream warnings) {
        this(socketPath, format, warnings, System::currentTimeMillis, HostName.local());
    }

    SyslogSink(String socketPath, Format format, PrintStream warnings, LongSupplier clockMillis, String hostname) {
        this.socketPath = socketPath;
        this.format = format;
        this.warnings = warnings;
        this.clockMillis = clockMillis;
        this.hostname = hostname;
    }

    @Override
    public void opened(Incident incident) {
        send(SEVERITY_WARNING, "incident_opened", incident, IncidentText.line(incident, true));
    }

    @Override
    public void closed(Incident incident) {
        send(SEVERITY_NOTICE, "incident_closed", incident, IncidentText.line(incident, false));
    }

    /** Messages the kernel took. */
    public synchronized long sent() {
        return sent;
    }

    /** Messages lost: socket missing, queue full, or another error. */
    public synchronized long dropped() {
        return dropped;
    }

    private synchronized void send(int severity, String msgId, Incident incident, String text) {
        byte[] message = format(severity, msgId, incident, text);
        try {
            if (socket == null) {
                socket = UnixDatagramSocket.open();
            }
        } catch (NetlinkException e) {
            dropped++;
            warnOnce("syslog alerts are off: " + e.getMessage());
            return;
        }
        int errno = socket.send(message, message.length, socketPath);
        if (errno == 0) {
            sent++;
            warned = false;
            return;
        }
        dropped++;
        if (errno == UnixDatagramSocket.ENOENT || errno == UnixDatagramSocket.ECONNREFUSED) {
            warnOnce("no syslog daemon listens on " + socketPath + " (" + UnixDatagramSocket.errnoName(errno)
                    + "): syslog alerts are skipped until one does; the log line still goes to stderr");
        } else {
            warnOnce("syslog message dropped (" + UnixDatagramSocket.errnoName(errno) + " on " + socketPath + ")");
        }
    }

    private void warnOnce(String message) {
        if (!warned) {
            warned = true;
            warnings.println("bwdoctor: " + message);
            warnings.flush();
        }
    }

    /** The datagram for one event; PRI = facility * 8 + severity. */
    byte[] format(int severity, String msgId, Incident incident, String text) {
        int pri = FACILITY_DAEMON * 8 + severity;
        Instant now = Instant.ofEpochMilli(clockMillis.getAsLong());
        String head = switch (format) {
            case RFC3164 -> "<" + pri + ">" + RFC3164_TIME.format(ZonedDateTime.ofInstant(now, ZoneId.systemDefault()))
                    + " " + TAG + "[" + pid + "]: ";
            case RFC5424 -> "<" + pri + ">1 " + now + " " + printableAscii(hostname, 255) + " " + TAG + " " + pid
                    + " " + msgId + " [bwdoctor@32473 id=\"" + incident.id() + "\" iface=\""
                    + sdEscape(IncidentText.field(incident.iface())) + "\"] ";
        };
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        int textLength = utf8Prefix(textBytes, MAX_MESSAGE_BYTES - headBytes.length);
        byte[] out = new byte[headBytes.length + textLength];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(textBytes, 0, out, headBytes.length, textLength);
        return out;
    }

    /** Longest prefix of at most {@code max} bytes that does not cut a UTF-8 sequence. */
    private static int utf8Prefix(byte[] utf8, int max) {
        if (utf8.length <= max) {
            return utf8.length;
        }
        int n = Math.max(0, max);
        while (n > 0 && (utf8[n] & 0xC0) == 0x80) {
            n--;
        }
        return n;
    }

    /** RFC 5424 header fields are printable US-ASCII without spaces; "-" stands for unknown. */
    static String printableAscii(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; s != null && i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c > 32 && c < 127) {
                b.append(c);
            }
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    private static String sdEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
