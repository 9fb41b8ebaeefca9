package io.bwdoctor.storage;

import io.bwdoctor.core.incident.Incident;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The guard's embedded SQLite database: incidents, per-second interface samples and their per-minute rollup.
 * WAL with synchronous=NORMAL: every committed call survives a crash of the process (kill -9); a power cut may lose
 * the last commits, never consistency. Not thread-safe across instances; one instance is safe to share (synchronized).
 */
public final class IncidentStore implements AutoCloseable {
    public static final Path DEFAULT_PATH = Path.of("/var/lib/bwdoctor/bwdoctor.db");
    /** "bwdc": marks the file as ours, so that another application's SQLite file is refused. */
    static final int APPLICATION_ID = 0x62776463;
    static final int SCHEMA_VERSION = 1;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Incident.Culprit>> CULPRITS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /** A line of {@code incidents list}. {@code note} says how it was closed when that was not the guard's doing. */
    public record Summary(long id, long startMillis, Long endMillis, String iface, Long capBps, double peakUtilisation,
                          long peakBps, int culprits, String topCulprit, String note) {}

    /** One minute of an interface; averages are over the {@code samples} seconds recorded in that minute. */
    public record Minute(long startMillis, int samples, long avgTxBps, long maxTxBps, long avgRxBps, long maxRxBps,
                         long avgPublicBps, long maxPublicBps) {}

    private final Path path;
    private final boolean readOnly;
    private final Retention retention;
    private final Map<String, Integer> ifaceIds = new HashMap<>();
    private Connection db;
    private PreparedStatement insertSecond;

    private IncidentStore(Path path, boolean readOnly, Retention retention) {
        this.path = path;
        this.readOnly = readOnly;
        this.retention = retention;
    }

    /** Opens (creating it and its directories, mode 0700, when missing) the database for writing. */
    public static IncidentStore open(Path path, Retention retention) throws StoreException {
        IncidentStore store = new IncidentStore(path.toAbsolutePath(), false, retention);
        store.prepareFile();
        store.connect("jdbc:sqlite:" + store.path);
        return store;
    }

    public static IncidentStore open(Path path) throws StoreException {
        return open(path, Retention.DEFAULT);
    }

    /** Opens an existing database for reading only (the CLI); never creates anything. */
    public static IncidentStore openExisting(Path path) throws StoreException {
        Path p = path.toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "no incident database at " + p
                    + " (the guard creates it; pass --db PATH to read another one)");
        }
        if (!Files.isReadable(p)) {
            throw new StoreException(StoreException.Kind.READ_ONLY, "cannot read " + p + ": permission denied"
                    + " (run as root or as the guard's user)");
        }
        IncidentStore store = new IncidentStore(p, true, Retention.DEFAULT);
        try {
            store.connect("jdbc:sqlite:" + p);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql) || (sql.getErrorCode() & 0xff) != 14) {
                throw e;
            }
            // A WAL database whose -shm/-wal we may not create (read-only media, a directory that is not ours): no
            // writer is active then (it would have created them), so read it as an immutable file.
            store.connect("jdbc:sqlite:" + p.toUri() + "?immutable=1");
        }
        return store;
    }

    public Path path() {
        return path;
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

    private void connect(String url) throws StoreException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(5000);
        try {
            db = config.createConnection(url);
        } catch (SQLException e) {
            throw StoreException.of("open the database", path, e);
        }
        try (Statement s = db.createStatement()) {
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
            if (readOnly) {
                if (version == 0) {
                    throw new StoreException(StoreException.Kind.NOT_A_DATABASE, path + " holds no bwdoctor data yet");
                }
            } else {
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
            db.setAutoCommit(false);
            if (!readOnly) {
                insertSecond = db.prepareStatement(
                        "INSERT OR IGNORE INTO seconds(second, iface_id, tx, rx, pub) VALUES (?, ?, ?, ?, ?)");
            }
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

    private static int intPragma(Statement s, String name) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private void migrate(Statement s, int from) throws SQLException {
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

    // ---- per-second samples ----------------------------------------------------------------------------------------

    /**
     * Records one second of an interface in its own transaction (durable against a process crash when this returns)
     * and folds it into the interface's minute. A second already recorded is ignored. Throws instead of losing data
     * silently; a {@linkplain StoreException#isTransient() transient} failure leaves the store usable.
     */
    public synchronized void recordSecond(String iface, Incident.Sample s) throws StoreException {
        writable();
        try {
            int id = ifaceId(iface);
            insertSecond.setLong(1, s.epochSecond());
            insertSecond.setInt(2, id);
            insertSecond.setLong(3, s.txBps());
            insertSecond.setLong(4, s.rxBps());
            insertSecond.setLong(5, s.publicBps());
            insertSecond.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            rollback();
            ifaceIds.remove(iface); // its row may have been rolled back with the sample
            throw StoreException.of("record a second", path, e);
        }
    }

    /**
     * Records several seconds of an interface in one transaction (all or none): for seconds held back while the disk
     * was full, or an import. Seconds already recorded are ignored.
     */
    public synchronized void recordSeconds(String iface, List<Incident.Sample> samples) throws StoreException {
        writable();
        try {
            int id = ifaceId(iface);
            for (Incident.Sample s : samples) {
                insertSecond.setLong(1, s.epochSecond());
                insertSecond.setInt(2, id);
                insertSecond.setLong(3, s.txBps());
                insertSecond.setLong(4, s.rxBps());
                insertSecond.setLong(5, s.publicBps());
                insertSecond.addBatch();
            }
            insertSecond.executeBatch();
            db.commit();
        } catch (SQLException e) {
            rollback();
            ifaceIds.remove(iface);
            throw StoreException.of("record seconds", path, e);
        }
    }

    private int ifaceId(String iface) throws SQLException {
        Integer known = ifaceIds.get(iface);
        if (known != null) {
            return known;
        }
        try (PreparedStatement q = db.prepareStatement("SELECT id FROM ifaces WHERE name = ?")) {
            q.setString(1, iface);
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    ifaceIds.put(iface, r.getInt(1));
                    return r.getInt(1);
                }
            }
        }
        try (PreparedStatement ins = db.prepareStatement("INSERT INTO ifaces(name) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ins.setString(1, iface);
            ins.executeUpdate();
            try (ResultSet k = ins.getGeneratedKeys()) {
                k.next();
                ifaceIds.put(iface, k.getInt(1));
                return k.getInt(1);
            }
        }
    }

    /** The recorded seconds of an interface with {@code from <= second*1000 < to}, oldest first. */
    public synchronized List<Incident.Sample> seconds(String iface, long fromMillis, long toMillis)
            throws StoreException {
        List<Incident.Sample> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT second, tx, rx, pub FROM seconds JOIN ifaces "
                + "ON ifaces.id = iface_id WHERE name = ? AND second >= ? AND second < ? ORDER BY second")) {
            q.setString(1, iface);
            q.setLong(2, Math.ceilDiv(fromMillis, 1000L));
            q.setLong(3, Math.ceilDiv(toMillis, 1000L));
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Incident.Sample(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("read seconds", path, e);
        }
    }

    /** The per-minute history of an interface for minutes starting in [from, to), oldest first. */
    public synchronized List<Minute> history(String iface, long fromMillis, long toMillis) throws StoreException {
        List<Minute> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT minute, samples, tx_sum, tx_max, rx_sum, rx_max, "
                + "pub_sum, pub_max FROM minutes JOIN ifaces ON ifaces.id = iface_id WHERE name = ? AND minute >= ? "
                + "AND minute < ? ORDER BY minute")) {
            q.setString(1, iface);
            q.setLong(2, Math.floorDiv(fromMillis + 59_999, 60_000));
            q.setLong(3, Math.floorDiv(toMillis + 59_999, 60_000));
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    int n = r.getInt(2);
                    out.add(new Minute(r.getLong(1) * 60_000, n, r.getLong(3) / n, r.getLong(4), r.getLong(5) / n,
                            r.getLong(6), r.getLong(7) / n, r.getLong(8)));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("read the history", path, e);
        }
    }

    // ---- incidents -------------------------------------------------------------------------------------------------

    /** Stores a new open incident (its end is ignored) with its timeline so far; returns its id. */
    public synchronized long open(Incident incident) throws StoreException {
        writable();
        try (PreparedStatement ins = db.prepareStatement("INSERT INTO incidents(start_ms, iface, cap_bps, "
                + "peak_utilisation, peak_bps, culprits, actions, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ins.setLong(1, incident.startMillis());
            ins.setString(2, incident.iface());
            setNullableLong(ins, 3, incident.capBps());
            ins.setDouble(4, incident.peakUtilisation());
            ins.setLong(5, incident.peakBps());
            ins.setString(6, JSON.writeValueAsString(incident.culprits()));
            ins.setString(7, JSON.writeValueAsString(incident.actions()));
            ins.setString(8, incident.reportJson());
            ins.executeUpdate();
            long id;
            try (ResultSet k = ins.getGeneratedKeys()) {
                k.next();
                id = k.getLong(1);
            }
            appendTimeline(id, incident.timeline());
            db.commit();
            return id;
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("store an incident", path, e);
        }
    }

    /**
     * Updates an open incident: timeline seconds not stored yet are appended; cap, peaks, culprits, actions and report
     * are replaced. Fails with {@code NO_SUCH_INCIDENT} when the id is unknown or the incident is closed.
     */
    public synchronized void update(Incident incident) throws StoreException {
        writable();
        try (PreparedStatement up = db.prepareStatement("UPDATE incidents SET cap_bps = ?, peak_utilisation = ?, "
                + "peak_bps = ?, culprits = ?, actions = ?, report = ? WHERE id = ? AND end_ms IS NULL")) {
            setNullableLong(up, 1, incident.capBps());
            up.setDouble(2, incident.peakUtilisation());
            up.setLong(3, incident.peakBps());
            up.setString(4, JSON.writeValueAsString(incident.culprits()));
            up.setString(5, JSON.writeValueAsString(incident.actions()));
            up.setString(6, incident.reportJson());
            up.setLong(7, incident.id());
            if (up.executeUpdate() == 0) {
                db.rollback();
                throw new StoreException(StoreException.Kind.NO_SUCH_INCIDENT, "incident " + incident.id()
                        + " does not exist or is already closed");
            }
            appendTimeline(incident.id(), incident.timeline());
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("update incident " + incident.id(), path, e);
        }
    }

    private void appendTimeline(long id, List<Incident.Sample> timeline) throws SQLException {
        if (timeline.isEmpty()) {
            return;
        }
        try (PreparedStatement ins = db.prepareStatement("INSERT OR IGNORE INTO incident_samples(incident_id, second, "
                + "tx, rx, pub) VALUES (?, ?, ?, ?, ?)")) {
            for (Incident.Sample s : timeline) {
                ins.setLong(1, id);
                ins.setLong(2, s.epochSecond());
                ins.setLong(3, s.txBps());
                ins.setLong(4, s.rxBps());
                ins.setLong(5, s.publicBps());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /** Closes an open incident at {@code endMillis}; {@code note} (nullable) says why, when it is worth saying. */
    public synchronized void close(long id, long endMillis, String note) throws StoreException {
        writable();
        try (PreparedStatement up = db.prepareStatement("UPDATE incidents SET end_ms = max(start_ms, ?), note = ? "
                + "WHERE id = ? AND end_ms IS NULL")) {
            up.setLong(1, endMillis);
            up.setString(2, note);
            up.setLong(3, id);
            if (up.executeUpdate() == 0) {
                db.rollback();
                throw new StoreException(StoreException.Kind.NO_SUCH_INCIDENT, "incident " + id
                        + " does not exist or is already closed");
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("close incident " + id, path, e);
        }
    }

    /**
     * Closes every incident left open (the guard was killed or the machine went down during it), at the end of its last
     * recorded second (or its start), with {@code note}. The guard calls this when it starts; returns the ids closed.
     */
    public synchronized List<Long> closeStale(String note) throws StoreException {
        writable();
        List<Long> ids = new ArrayList<>();
        try (Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT id FROM incidents WHERE end_ms IS NULL ORDER BY id")) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
            try (PreparedStatement up = db.prepareStatement("UPDATE incidents SET note = ?, end_ms = max(start_ms, "
                    + "coalesce((SELECT (max(second) + 1) * 1000 FROM incident_samples WHERE incident_id = id), 0)) "
                    + "WHERE end_ms IS NULL")) {
                up.setString(1, note);
                up.executeUpdate();
            }
            db.commit();
            return ids;
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("close stale incidents", path, e);
        }
    }

    /** The most recent incident that is still open, if any. */
    public synchronized Optional<Incident> openIncident() throws StoreException {
        Long id = null;
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM incidents WHERE end_ms IS NULL ORDER BY start_ms DESC, "
                     + "id DESC LIMIT 1")) {
            if (r.next()) {
                id = r.getLong(1);
            }
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("find the open incident", path, e);
        }
        return id == null ? Optional.empty() : get(id);
    }

    public synchronized Optional<Incident> get(long id) throws StoreException {
        try (PreparedStatement q = db.prepareStatement("SELECT start_ms, end_ms, iface, cap_bps, peak_utilisation, "
                + "peak_bps, culprits, actions, report FROM incidents WHERE id = ?")) {
            q.setLong(1, id);
            Incident found = null;
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    found = new Incident(id, r.getLong(1), nullableLong(r, 2), r.getString(3), nullableLong(r, 4),
                            r.getDouble(5), r.getLong(6), timeline(id), readList(r.getString(7), CULPRITS, id),
                            readList(r.getString(8), STRINGS, id), r.getString(9));
                }
            }
            db.commit();
            return Optional.ofNullable(found);
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("read incident " + id, path, e);
        }
    }

    private List<Incident.Sample> timeline(long id) throws SQLException {
        List<Incident.Sample> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT second, tx, rx, pub FROM incident_samples "
                + "WHERE incident_id = ? ORDER BY second")) {
            q.setLong(1, id);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Incident.Sample(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
                }
            }
        }
        return out;
    }

    /** The newest {@code limit} incidents, newest first. */
    public synchronized List<Summary> list(int limit) throws StoreException {
        return summaries("ORDER BY start_ms DESC, id DESC LIMIT ?", limit);
    }

    public synchronized Optional<Summary> summary(long id) throws StoreException {
        return summaries("AND id = ?", id).stream().findFirst();
    }

    private List<Summary> summaries(String tail, long arg) throws StoreException {
        List<Summary> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT id, start_ms, end_ms, iface, cap_bps, "
                + "peak_utilisation, peak_bps, culprits, note FROM incidents WHERE 1 " + tail)) {
            q.setLong(1, arg);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    long id = r.getLong(1);
                    List<Incident.Culprit> culprits = readList(r.getString(8), CULPRITS, id);
                    out.add(new Summary(id, r.getLong(2), nullableLong(r, 3), r.getString(4), nullableLong(r, 5),
                            r.getDouble(6), r.getLong(7), culprits.size(),
                            culprits.isEmpty() ? null : culprits.getFirst().name(), r.getString(9)));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("list incidents", path, e);
        }
    }

    private <T> List<T> readList(String json, TypeReference<List<T>> type, long id) throws StoreException {
        try {
            return json == null ? List.of() : JSON.readValue(json, type);
        } catch (JacksonException e) {
            throw new StoreException(StoreException.Kind.CORRUPT, "incident " + id + " in " + path
                    + " has unreadable data: " + e.getOriginalMessage(), e);
        }
    }

    // ---- retention -------------------------------------------------------------------------------------------------

    /**
     * Applies the retention: deletes by age, then, while the pages in use exceed the size limit, the oldest seconds,
     * minutes and closed incidents in that order; then gives the freed pages back to the file system. Each step is its
     * own short transaction, so the guard's per-second writes are not held up for long.
     */
    public synchronized void prune(long nowMillis) throws StoreException {
        writable();
        try {
            long nowSecond = Math.floorDiv(nowMillis, 1000);
            deleteAndCommit("DELETE FROM seconds WHERE second < ?", nowSecond - retention.seconds().toSeconds());
            deleteAndCommit("DELETE FROM minutes WHERE minute < ?",
                    Math.floorDiv(nowSecond - retention.minutes().toSeconds(), 60));
            deleteIncidentsEndedBefore(nowMillis - retention.incidents().toMillis(), Integer.MAX_VALUE);
            while (usedBytes() > retention.maxBytes() && trimOldest("seconds", "second")) {
                // oldest tenth of the per-second span at a time
            }
            while (usedBytes() > retention.maxBytes() && trimOldest("minutes", "minute")) {
                // then the minutes
            }
            while (usedBytes() > retention.maxBytes() && deleteIncidentsEndedBefore(Long.MAX_VALUE, 16) > 0) {
                // then the oldest closed incidents, a few at a time
            }
            try (Statement s = db.createStatement()) {
                // JDBC steps a statement once, which frees one page; sqlite3_exec runs it to the end
                int rc = db.unwrap(SQLiteConnection.class).getDatabase()._exec("PRAGMA incremental_vacuum");
                if (rc != 0) {
                    throw new SQLException("incremental_vacuum failed", null, rc);
                }
                db.commit();
                db.setAutoCommit(true); // a checkpoint cannot run inside a transaction
                try {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                } finally {
                    db.setAutoCommit(false);
                }
            }
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("prune old history", path, e);
        }
    }

    private void deleteAndCommit(String sql, long bound) throws SQLException {
        try (PreparedStatement d = db.prepareStatement(sql)) {
            d.setLong(1, bound);
            d.executeUpdate();
        }
        db.commit();
    }

    private boolean trimOldest(String table, String column) throws SQLException {
        Long min = null;
        long max = 0;
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT min(" + column + "), max(" + column + ") FROM " + table)) {
            if (r.next() && r.getObject(1) != null) {
                min = r.getLong(1);
                max = r.getLong(2);
            }
        }
        if (min == null) {
            db.commit();
            return false;
        }
        deleteAndCommit("DELETE FROM " + table + " WHERE " + column + " <= ?", min + (max - min) / 10);
        return true;
    }

    private int deleteIncidentsEndedBefore(long endMillis, int limit) throws SQLException {
        String victims = "SELECT id FROM incidents WHERE end_ms IS NOT NULL AND end_ms < ? ORDER BY end_ms, id LIMIT ?";
        try (PreparedStatement samples = db.prepareStatement("DELETE FROM incident_samples WHERE incident_id IN ("
                + victims + ")");
             PreparedStatement incidents = db.prepareStatement("DELETE FROM incidents WHERE id IN (" + victims + ")")) {
            samples.setLong(1, endMillis);
            samples.setInt(2, limit);
            samples.executeUpdate();
            incidents.setLong(1, endMillis);
            incidents.setInt(2, limit);
            int n = incidents.executeUpdate();
            db.commit();
            return n;
        }
    }

    /** Bytes of database pages holding data (the file size minus its free pages). */
    public synchronized long sizeInUse() throws StoreException {
        try {
            return usedBytes();
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("measure the database", path, e);
        }
    }

    private long usedBytes() throws SQLException {
        try (Statement s = db.createStatement()) {
            long used = (long) (intPragma(s, "page_count") - intPragma(s, "freelist_count"))
                    * intPragma(s, "page_size");
            db.commit();
            return used;
        }
    }

    /** {@code PRAGMA integrity_check}: "ok", or SQLite's list of problems. */
    public synchronized String integrityCheck() throws StoreException {
        StringBuilder out = new StringBuilder();
        try {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                while (r.next()) {
                    out.append(out.isEmpty() ? "" : "\n").append(r.getString(1));
                }
            }
            db.commit();
            return out.toString();
        } catch (SQLException e) {
            rollback();
            throw StoreException.of("check integrity", path, e);
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    private void writable() throws StoreException {
        if (readOnly) {
            throw new StoreException(StoreException.Kind.READ_ONLY, path + " was opened for reading only");
        }
        if (db == null) {
            throw new StoreException(StoreException.Kind.OTHER, "the store of " + path + " is closed");
        }
    }

    /** After a failure SQLite may already have rolled back; a failing rollback must not hide the first error. */
    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException alreadyRolledBack) {
            // SQLite ends the transaction itself on SQLITE_FULL and I/O errors, so the driver's "rollback; begin"
            // stopped at the rollback: open the next transaction here, or later commits find none
            try (Statement s = db.createStatement()) {
                s.execute("BEGIN");
            } catch (SQLException ignored) {
                // still inside a transaction after all: nothing to restore; the original failure gets reported
            }
        }
    }

    private static void setNullableLong(PreparedStatement p, int index, Long value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.INTEGER);
        } else {
            p.setLong(index, value);
        }
    }

    private static Long nullableLong(ResultSet r, int column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }

    private void closeQuietly() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // closing after a failed open: the open error is reported
        }
        db = null;
    }

    @Override
    public synchronized void close() throws StoreException {
        if (db == null) {
            return;
        }
        Connection c = db;
        db = null;
        rollbackQuietly(c);
        try {
            c.close();
        } catch (SQLException e) {
            throw StoreException.of("close the database", path, e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // nothing was pending, or the disk is full: closing must still happen
        }
    }
}
