package io.bwdoctor.core.report;

/** Where a report row writes its fields, in order: a map for people, or straight into a JSON stream. */
@FunctionalInterface
public interface RowFields {
    /** @param value a Long, Integer, String, Boolean or null */
    void put(String name, Object value);
}
