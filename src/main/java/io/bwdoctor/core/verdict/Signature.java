package io.bwdoctor.core.verdict;

/**
 * Code-signing facts of an executable (Windows Authenticode; on Linux, package ownership plays this role).
 *
 * @param status      what the signature check said
 * @param signer      subject of the signing certificate (for example "Microsoft Windows"), or null
 * @param catalog     true when the file is signed through a system catalog rather than an embedded signature
 * @param company     the version resource's CompanyName, or null
 * @param description the version resource's FileDescription, or null
 */
public record Signature(Status status, String signer, boolean catalog, String company, String description) {
    public enum Status { SIGNED, UNSIGNED, INVALID, UNKNOWN }

    public static final Signature UNKNOWN = new Signature(Status.UNKNOWN, null, false, null, null);

    public boolean trusted() {
        return status == Status.SIGNED;
    }
}
