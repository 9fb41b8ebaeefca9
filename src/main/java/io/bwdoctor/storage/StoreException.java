package io.bwdoctor.storage;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A store operation failed. {@link #kind()} says whether waiting helps: a full disk, an I/O error or a file system
 * remounted read-only are {@linkplain #isTransient() transient} (the store stays usable and the same call succeeds
 * once the cause is gone); the others need a person.
 */
public final class StoreException extends Exception {
    public enum Kind { DISK_FULL, IO_ERROR, READ_ONLY, BUSY, NOT_A_DATABASE, CORRUPT, TOO_NEW, NOT_FOUND,
        NO_SUCH_INCIDENT, OTHER }

    private final Kind kind;

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind == Kind.DISK_FULL || kind == Kind.IO_ERROR || kind == Kind.READ_ONLY || kind == Kind.BUSY;
    }

    /** Turns SQLite's result code into a kind and a message that names the file and what to do. */
    static StoreException of(String doing, Path db, SQLException e) {
        int primary = e.getErrorCode() & 0xff; // extended codes keep the primary code in the low byte
        String detail = e.getMessage() == null ? "" : " (" + e.getMessage().strip() + ")";
        return switch (primary) {
            case 13 -> new StoreException(Kind.DISK_FULL, "disk full: cannot " + doing + " in " + db
                    + "; free space on its file system, the store resumes by itself" + detail, e);
            case 10 -> new StoreException(Kind.IO_ERROR, "I/O error: cannot " + doing + " in " + db + detail, e);
            case 8 -> new StoreException(Kind.READ_ONLY, "read-only: cannot " + doing + " in " + db
                    + " (read-only file system or file)" + detail, e);
            case 5, 6 -> new StoreException(Kind.BUSY, "busy: cannot " + doing + " in " + db
                    + ", another process holds the lock" + detail, e);
            case 26 -> new StoreException(Kind.NOT_A_DATABASE, db + " is not an SQLite database" + detail, e);
            case 11 -> new StoreException(Kind.CORRUPT, db + " is corrupt" + detail, e);
            case 14 -> new StoreException(Kind.IO_ERROR, "cannot open " + db + detail, e);
            default -> new StoreException(Kind.OTHER, "cannot " + doing + " in " + db + detail, e);
        };
    }
}
