package io.bwdoctor.core.intel;

/**
 * Where an address is registered: ISO 3166 alpha-2 country (or a registry code such as "EU"), autonomous system number
 * and its organisation. Each part is null when the data has no entry for the address (the country and ASN data sets
 * cover different ranges).
 */
public record Geo(String country, Long asn, String organisation) {}
