package io.bwdoctor.storage;

import io.bwdoctor.core.incident.Incident;
import java.nio.file.Path;
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

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Incident.Culprit>> CULPRITS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /** A line of {@code incidents list}. {@code note} says how it was closed when that was not the guard's doing. */
    public record Summary(long id, long startMillis, Long endMillis, String iface, Long capBps, double peakUtilisation,
                          long peakBps, int culprits, String topCulprit, String note) {}

    /** One minute of an interface; averages are over the {@code samples} seconds recorded in that minute. */
    public record Minute(long startMillis, int samples, long avgTxBps, long maxTxBps, long avgRxBps, long maxRxBps,
                         long avgPublicBps, long maxPublicBps) {}

    private final Database database;
    private final Retention retention;
    private final Map<String, Integer> ifaceIds = new HashMap<>();
    private PreparedStatement insertSecond; // prepared once: the guard calls recordSecond every second

    private IncidentStore(Database database, Retention retention) {
        this.database = database;
        this.retention = retention;
    }

    /** Opens (creating it and its directories, mode 0700, when missing) the database for writing. */
    public static IncidentStore open(Path path, Retention retention) throws StoreException {
        return new IncidentStore(Database.openForWriting(path), retention);
    }

    public static IncidentStore open(Path path) throws StoreException {
        return open(path, Retention.DEFAULT);
    }

    /** Opens an existing database for reading only (the CLI); never creates anything. */
    public static IncidentStore openExisting(Path path) throws StoreException {
        return new IncidentStore(Database.openExisting(path), Retention.DEFAULT);
    }

    public Path path() {
        return database.path();
    }

    // ---- per-second samples ----------------------------------------------------------------------------------------

    /**
     * Records one second of an interface in its own transaction (durable against a process crash when this returns)
     * and folds it into the interface's minute. A second already recorded is ignored. Throws instead of losing data
     * silently; a {@linkplain StoreException#isTransient() transient} failure leaves the store usable.
     */
    public synchronized void recordSecond(String iface, Incident.Sample s) throws StoreException {
        Connection db = database.writable();
        try {
            int id = ifaceId(db, iface);
            PreparedStatement insertSecond = insertSecond(db);
            insertSecond.setLong(1, s.epochSecond());
            insertSecond.setInt(2, id);
            insertSecond.setLong(3, s.txBps());
            insertSecond.setLong(4, s.rxBps());
            insertSecond.setLong(5, s.publicBps());
            insertSecond.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            database.rollback();
            ifaceIds.remove(iface); // its row may have been rolled back with the sample
            throw StoreException.of("record a second", database.path(), e);
        }
    }

    /**
     * Records several seconds of an interface in one transaction (all or none): for seconds held back while the disk
     * was full, or an import. Seconds already recorded are ignored.
     */
    public synchronized void recordSeconds(String iface, List<Incident.Sample> samples) throws StoreException {
        Connection db = database.writable();
        try {
            int id = ifaceId(db, iface);
            PreparedStatement insertSecond = insertSecond(db);
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
            database.rollback();
            ifaceIds.remove(iface);
            throw StoreException.of("record seconds", database.path(), e);
        }
    }

    private PreparedStatement insertSecond(Connection db) throws SQLException {
        if (insertSecond == null) {
            insertSecond = db.prepareStatement(
                    "INSERT OR IGNORE INTO seconds(second, iface_id, tx, rx, pub) VALUES (?, ?, ?, ?, ?)");
        }
        return insertSecond;
    }

    private int ifaceId(Connection db, String iface) throws SQLException {
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
        Connection db = database.connection();
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
            database.rollback();
            throw StoreException.of("read seconds", database.path(), e);
        }
    }

    /** The per-minute history of an interface for minutes starting in [from, to), oldest first. */
    public synchronized List<Minute> history(String iface, long fromMillis, long toMillis) throws StoreException {
        Connection db = database.connection();
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
            database.rollback();
            throw StoreException.of("read the history", database.path(), e);
        }
    }

    // ---- incidents -------------------------------------------------------------------------------------------------

    /** Stores a new open incident (its end is ignored) with its timeline so far; returns its id. */
    public synchronized long open(Incident incident) throws StoreException {
        Connection db = database.writable();
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
            appendTimeline(db, id, incident.timeline());
            db.commit();
            return id;
        } catch (SQLException e) {
            database.rollback();
            throw StoreException.of("store an incident", database.path(), e);
        }
    }

    /**
     * Updates an open incident: timeline seconds not stored yet are appended; cap, peaks, culprits, actions and report
     * are replaced. Fails with {@code NO_SUCH_INCIDENT} when the id is unknown or the incident is closed.
     */
    public synchronized void update(Incident incident) throws StoreException {
        Connection db = database.writable();
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
            appendTimeline(db, incident.id(), incident.timeline());
            db.commit();
        } catch (SQLException e) {
            database.rollback();
            throw StoreException.of("update incident " + incident.id(), database.path(), e);
        }
    }

    private static void appendTimeline(Connection db, long id, List<Incident.Sample> timeline) throws SQLException {
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
        Connection db = database.writable();
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
            database.rollback();
            throw StoreException.of("close incident " + id, database.path(), e);
        }
    }

    /**
     * Closes every incident left open (the guard was killed or the machine went down during it), at the end of its last
     * recorded second (or its start), with {@code note}. The guard calls this when it starts; returns the ids closed.
     */
    public synchronized List<Long> closeStale(String note) throws StoreException {
        Connection db = database.writable();
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
            database.rollback();
            throw StoreException.of("close stale incidents", database.path(), e);
        }
    }

    /** The most recent incident that is still open, if any. */
    public synchronized Optional<Incident> openIncident() throws StoreException {
        Connection db = database.connection();
        Long id = null;
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM incidents WHERE end_ms IS NULL ORDER BY start_ms DESC, "
                     + "id DESC LIMIT 1")) {
            if (r.next()) {
                id = r.getLong(1);
            }
        } catch (SQLException e) {
            database.rollback();
            throw StoreException.of("find the open incident", database.path(), e);
        }
        return id == null ? Optional.empty() : get(id);
    }

    public synchronized Optional<Incident> get(long id) throws StoreException {
        Connection db = database.connection();
        try (PreparedStatement q = db.prepareStatement("SELECT start_ms, end_ms, iface, cap_bps, peak_utilisation, "
                + "peak_bps, culprits, actions, report FROM incidents WHERE id = ?")) {
            q.setLong(1, id);
            Incident found = null;
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    found = new Incident(id, r.getLong(1), nullableLong(r, 2), r.getString(3), nullableLong(r, 4),
                            r.getDouble(5), r.getLong(6), timeline(db, id), readList(r.getString(7), CULPRITS, id),
                            readList(r.getString(8), STRINGS, id), r.getString(9));
                }
            }
            db.commit();
            return Optional.ofNullable(found);
        } catch (SQLException e) {
            database.rollback();
            throw StoreException.of("read incident " + id, database.path(), e);
        }
    }

    private static List<Incident.Sample> timeline(Connection db, long id) throws SQLException {
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
        Connection db = database.connection();
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
            database.rollback();
            throw StoreException.of("list incidents", database.path(), e);
        }
    }

    private <T> List<T> readList(String json, TypeReference<List<T>> type, long id) throws StoreException {
        try {
            return json == null ? List.of() : JSON.readValue(json, type);
        } catch (JacksonException e) {
            throw new StoreException(StoreException.Kind.CORRUPT, "incident " + id + " in " + database.path()
                    + " has unreadable data: " + e.getOriginalMessage(), e);
        }
    }

    // ---- retention -------------------------------------------------------------------------------------------------

    /**
     * Applies the retention: deletes by age, then, while the pages in use exceed the size limit, the oldest seconds,
     * minutes and closed incidents in that order; then gives the freed pages back to the file system.
     */
    public synchronized void prune(long nowMillis) throws StoreException {
        try {
            new Pruner(database).prune(retention, nowMillis);
        } catch (SQLException e) {
            database.rollback();
            throw StoreException.of("prune old history", database.path(), e);
        }
    }

    /** Bytes of database pages holding data (the file size minus its free pages). */
    public synchronized long sizeInUse() throws StoreException {
        database.connection();
        try {
            return database.usedBytes();
        } catch (SQLException e) {
            database.rollback();
            throw StoreException.of("measure the database", database.path(), e);
        }
    }

    /** {@code PRAGMA integrity_check}: "ok", or SQLite's list of problems. */
    public synchronized String integrityCheck() throws StoreException {
        Connection db = database.connection();
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
            database.rollback();
            throw StoreException.of("check integrity", database.path(), e);
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

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

    @Override
    public synchronized void close() throws StoreException {
        database.close();
    }
}
