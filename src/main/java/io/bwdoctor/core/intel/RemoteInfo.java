package io.bwdoctor.core.intel;

import java.util.List;

/**
 * Everything bwdoctor knows offline about a remote address. {@code country}, {@code asn} and {@code organisation} are
 * null when unknown; {@code network} is the name of the user's network holding the address (null if none);
 * {@code threatLists} names the block lists containing it (empty if none).
 */
public record RemoteInfo(AddressClass addressClass, String country, Long asn, String organisation, String network,
                         List<String> threatLists) {}
