package io.bwdoctor.storage;

import java.util.List;

/**
 * The tables (schema version 1). Seconds and minutes are keyed time first, so that retention deletes a prefix of the
 * key, and WITHOUT ROWID, which keeps a per-second row near 20 bytes. Interfaces are numbered to keep names out of
 * every row. Incidents use AUTOINCREMENT so that an id quoted in a ticket is never given to a later incident.
 */
final class Schema {
    static final List<String> V1 = List.of(
            "CREATE TABLE ifaces(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
            "CREATE TABLE seconds(second INTEGER NOT NULL, iface_id INTEGER NOT NULL, tx INTEGER NOT NULL, "
                    + "rx INTEGER NOT NULL, pub INTEGER NOT NULL, PRIMARY KEY(second, iface_id)) WITHOUT ROWID",
            "CREATE TABLE minutes(minute INTEGER NOT NULL, iface_id INTEGER NOT NULL, samples INTEGER NOT NULL, "
                    + "tx_sum INTEGER NOT NULL, tx_max INTEGER NOT NULL, rx_sum INTEGER NOT NULL, "
                    + "rx_max INTEGER NOT NULL, pub_sum INTEGER NOT NULL, pub_max INTEGER NOT NULL, "
                    + "PRIMARY KEY(minute, iface_id)) WITHOUT ROWID",
            // the rollup is part of the same transaction as the second: a crash can never leave them disagreeing
            "CREATE TRIGGER seconds_rollup AFTER INSERT ON seconds BEGIN "
                    + "INSERT INTO minutes(minute, iface_id, samples, tx_sum, tx_max, rx_sum, rx_max, pub_sum, "
                    + "pub_max) "
                    + "VALUES (NEW.second / 60, NEW.iface_id, 1, NEW.tx, NEW.tx, NEW.rx, NEW.rx, NEW.pub, NEW.pub) "
                    + "ON CONFLICT(minute, iface_id) DO UPDATE SET samples = samples + 1, "
                    + "tx_sum = tx_sum + excluded.tx_sum, tx_max = max(tx_max, excluded.tx_max), "
                    + "rx_sum = rx_sum + excluded.rx_sum, rx_max = max(rx_max, excluded.rx_max), "
                    + "pub_sum = pub_sum + excluded.pub_sum, pub_max = max(pub_max, excluded.pub_max); END",
            "CREATE TABLE incidents(id INTEGER PRIMARY KEY AUTOINCREMENT, start_ms INTEGER NOT NULL, end_ms INTEGER, "
                    + "iface TEXT NOT NULL, cap_bps INTEGER, peak_utilisation REAL NOT NULL, "
                    + "peak_bps INTEGER NOT NULL, culprits TEXT NOT NULL, actions TEXT NOT NULL, report TEXT, "
                    + "note TEXT)",
            "CREATE INDEX incidents_by_start ON incidents(start_ms)",
            "CREATE INDEX incidents_by_end ON incidents(end_ms)",
            "CREATE TABLE incident_samples(incident_id INTEGER NOT NULL, second INTEGER NOT NULL, "
                    + "tx INTEGER NOT NULL, rx INTEGER NOT NULL, pub INTEGER NOT NULL, "
                    + "PRIMARY KEY(incident_id, second)) WITHOUT ROWID");

    private Schema() {}
}
