package io.bwdoctor.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The SQLite connection under the store: creating the file safely, the pragmas, the schema version, and the driver's
 * transaction quirks. The connection is never in auto-commit mode: sqlite-jdbc opens the next (deferred)
 * transaction right after each commit or rollback.
 */
final class Database implements AutoCloseable {
    /** "bwdc": marks the file as ours, so that another application's SQLite file is refused. */
    static final int APPLICATION_ID = 0x62776463;
    static final int SCHEMA_VERSION = 1;
    private static final int SQLITE_CANTOPEN = 14;

    private static boolean nativeLoaded;

    private final Path path;
    private final boolean readOnly;
    private Connection connection;

    private Database(Path path, boolean readOnly) {
        this.path = path;
        this.readOnly = readOnly;
    }

    /** Opens the database for writing, creating it (0600) and its directories (0700) when missing. */
    static Database openForWriting(Path path) throws StoreException {
        Database db = new Database(path.toAbsolutePath(), false);
        db.prepareFile();
        db.connect("jdbc:sqlite:" + db.path);
        return db;
    }

    /** Opens an existing database for reading only; never creates anything. */
    static Database openExisting(Path path) throws StoreException {
        Path p = path.toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "no incident database at " + p
                    + " (the guard creates it; pass --db PATH to read another one)");
        }
        if (!Files.isReadable(p)) {
            throw new StoreException(StoreException.Kind.READ_ONLY, "cannot read " + p + ": permission denied"
                    + " (run as root or as the guard's user)");
        }
        Database db = new Database(p, true);
        try {
            db.connect("jdbc:sqlite:" + p);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql) || (sql.getErrorCode() & 0xff) != SQLITE_CANTOPEN) {
                throw e;
            }
            // A WAL database whose -shm/-wal we may not create (read-only media, a directory that is not ours): no
            // writer is active then (it would have created them), so read it as an immutable file.
            db.connect("jdbc:sqlite:" + p.toUri() + "?immutable=1");
        }
        return db;
    }

    Path path() {
        return path;
    }

    /** The open connection; fails once the store is closed. */
    Connection connection() throws StoreException {
        if (connection == null) {
            throw new StoreException(StoreException.Kind.OTHER, "the store of " + path + " is closed");
        }
        return connection;
    }

    /** The open connection for a write; fails for a read-only or closed store. */
    Connection writable() throws StoreException {
        if (readOnly) {
            throw new StoreException(StoreException.Kind.READ_ONLY, path + " was opened for reading only");
        }
        return connection();
    }

    private void prepareFile() throws StoreException {
        Path dir = path.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (Files.getFileStore(dir).isReadOnly()) {
                throw new StoreException(StoreException.Kind.READ_ONLY, "cannot write " + dir
                        + ": its file system is mounted read-only");
            }
            if (!Files.exists(path)) {
                // 0600 before SQLite creates it (0644): process names and command lines are not everyone's business
                Files.createFile(path, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
        } catch (FileAlreadyExistsException e) {
            throw new StoreException(StoreException.Kind.OTHER, "cannot create the directory " + dir
                    + ": a file of that name is in the way", e);
        } catch (AccessDeniedException e) {
            throw new StoreException(StoreException.Kind.READ_ONLY, "cannot write " + e.getFile()
                    + ": permission denied (the guard runs as root or with a writable --db)", e);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO_ERROR, "cannot create " + path + ": " + e, e);
        }
        if (!Files.isWritable(path) || !Files.isWritable(dir)) {
            throw new StoreException(StoreException.Kind.READ_ONLY, "cannot write " + path
                    + ": permission denied (the database and its directory must be writable)");
        }
    }

    /**
     * Loads sqlite-jdbc's native library (extracted to java.io.tmpdir, or org.sqlite.tmpdir) with its own logging
     * muted: on failure it logs two stack traces, and then only says "Error opening connection".
     */
    private static synchronized void loadNativeLibrary() throws StoreException {
        if (nativeLoaded) {
            return;
        }
        Logger log = Logger.getLogger("org.sqlite");
        Level level = log.getLevel();
        log.setLevel(Level.OFF);
        Throwable failure = null;
        try {
            nativeLoaded = SQLiteJDBCLoader.initialize();
        } catch (Exception | LinkageError e) {
            failure = e;
        } finally {
            log.setLevel(level);
        }
        if (!nativeLoaded) {
            String dir = System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir"));
            throw new StoreException(StoreException.Kind.OTHER, "cannot load SQLite's native library, extracted to "
                    + dir + (failure == null ? "" : " (" + failure.getMessage() + ")") + ": if that directory is "
                    + "mounted noexec, set BWDOCTOR_JAVA_OPTS=-Dorg.sqlite.tmpdir=DIR to one that is not", failure);
        }
    }

    private void connect(String url) throws StoreException {
        loadNativeLibrary();
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(5000);
        try {
            connection = config.createConnection(url);
        } catch (SQLException e) {
            throw StoreException.of("open the database", path, e);
        }
        try (Statement s = connection.createStatement()) {
            int version = intPragma(s, "user_version");
            int appId = intPragma(s, "application_id");
            boolean empty = intPragma(s, "page_count") == 0 || !hasTables(s);
            if (version > SCHEMA_VERSION) {
                throw new StoreException(StoreException.Kind.TOO_NEW, path + " was written by a newer bwdoctor "
                        + "(schema " + version + ", this one knows up to " + SCHEMA_VERSION + ")");
            }
            if (!empty && appId != APPLICATION_ID) {
                throw new StoreException(StoreException.Kind.NOT_A_DATABASE, path + " is an SQLite database but not "
                        + "bwdoctor's");
            }
            if (readOnly && version == 0) {
                throw new StoreException(StoreException.Kind.NOT_A_DATABASE, path + " holds no bwdoctor data yet");
            }
            if (!readOnly) {
                if (empty) {
                    s.execute("PRAGMA auto_vacuum = INCREMENTAL"); // only takes effect before the first table
                }
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA journal_size_limit = 4194304");
                if (version < SCHEMA_VERSION) {
                    migrate(s, version);
                }
            }
            s.execute("PRAGMA synchronous = NORMAL");
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            closeQuietly();
            throw StoreException.of("open the database", path, e);
        } catch (StoreException e) {
            closeQuietly();
            throw e;
        }
    }

    private static boolean hasTables(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            return r.next() && r.getInt(1) > 0;
        }
    }

    static int intPragma(Statement s, String name) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static void migrate(Statement s, int from) throws SQLException {
        s.execute("BEGIN IMMEDIATE");
        try {
            if (from < 1) {
                for (String ddl : Schema.V1) {
                    s.execute(ddl);
                }
            }
            s.execute("PRAGMA application_id = " + APPLICATION_ID);
            s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            s.execute("COMMIT");
        } catch (SQLException e) {
            s.execute("ROLLBACK");
            throw e;
        }
    }

    /** Bytes of database pages holding data (the file size minus its free pages). */
    long usedBytes() throws SQLException {
        try (Statement s = connection.createStatement()) {
            long used = (long) (intPragma(s, "page_count") - intPragma(s, "freelist_count"))
                    * intPragma(s, "page_size");
            connection.commit();
            return used;
        }
    }

    /** Gives free pages back to the file system and empties the WAL into the database file. */
    void vacuumAndCheckpoint() throws SQLException {
        // JDBC steps a statement once, which frees one page; sqlite3_exec runs it to the end
        int rc = connection.unwrap(SQLiteConnection.class).getDatabase()._exec("PRAGMA incremental_vacuum");
        if (rc != 0) {
            throw new SQLException("incremental_vacuum failed", null, rc);
        }
        connection.commit();
        connection.setAutoCommit(true); // a checkpoint cannot run inside a transaction
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
            connection.setAutoCommit(false);
        }
    }

    /** After a failure SQLite may already have rolled back; a failing rollback must not hide the first error. */
    void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException alreadyRolledBack) {
            // SQLite ends the transaction itself on SQLITE_FULL and I/O errors, so the driver's "rollback; begin"
            // stopped at the rollback: open the next transaction here, or later commits find none
            try (Statement s = connection.createStatement()) {
                s.execute("BEGIN");
            } catch (SQLException ignored) {
                // still inside a transaction after all: nothing to restore; the original failure gets reported
            }
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failed open: the open error is reported
        }
        connection = null;
    }

    @Override
    public void close() throws StoreException {
        if (connection == null) {
            return;
        }
        Connection c = connection;
        connection = null;
        try {
            c.rollback(); // nothing is pending between calls; with a full disk this may fail, closing must not
        } catch (SQLException ignored) {
            // see above
        }
        try {
            c.close();
        } catch (SQLException e) {
            throw StoreException.of("close the database", path, e);
        }
    }
}
