package io.bwdoctor.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Applies a {@link Retention}: by age, then by size (oldest seconds, then minutes, then closed incidents). Every
 * step is its own short transaction, so the guard's per-second writes are never held up for long.
 */
final class Pruner {
    private final Database database;
    private final Connection db;

    Pruner(Database database) throws StoreException {
        this.database = database;
        this.db = database.writable();
    }

    void prune(Retention retention, long nowMillis) throws SQLException {
        long nowSecond = Math.floorDiv(nowMillis, 1000);
        deleteAndCommit("DELETE FROM seconds WHERE second < ?", nowSecond - retention.seconds().toSeconds());
        deleteAndCommit("DELETE FROM minutes WHERE minute < ?",
                Math.floorDiv(nowSecond - retention.minutes().toSeconds(), 60));
        deleteIncidentsEndedBefore(nowMillis - retention.incidents().toMillis(), Integer.MAX_VALUE);
        while (database.usedBytes() > retention.maxBytes() && trimOldest("seconds", "second")) {
            // the oldest tenth of the per-second span at a time
        }
        while (database.usedBytes() > retention.maxBytes() && trimOldest("minutes", "minute")) {
            // then the minutes
        }
        while (database.usedBytes() > retention.maxBytes() && deleteIncidentsEndedBefore(Long.MAX_VALUE, 16) > 0) {
            // then the oldest closed incidents, a few at a time; an open one is never deleted
        }
        database.vacuumAndCheckpoint();
    }

    private void deleteAndCommit(String sql, long bound) throws SQLException {
        try (PreparedStatement d = db.prepareStatement(sql)) {
            d.setLong(1, bound);
            d.executeUpdate();
        }
        db.commit();
    }

    /** Deletes the oldest tenth of the table's time span (at least its oldest key); false when it is empty. */
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
}
