package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Signature;

/**
 * Turns what WinVerifyTrust said (for the embedded signature, then for the catalog signature when the file has no
 * embedded one) into a {@link Signature}. Codes are HRESULTs from winerror.h. Pure.
 */
public final class SignatureResults {
    private SignatureResults() {}

    public static final int ERROR_SUCCESS = 0;
    public static final int TRUST_E_PROVIDER_UNKNOWN = 0x800B0001;
    public static final int TRUST_E_SUBJECT_FORM_UNKNOWN = 0x800B0003;
    public static final int TRUST_E_SUBJECT_NOT_TRUSTED = 0x800B0004;
    public static final int TRUST_E_NOSIGNATURE = 0x800B0100;
    public static final int CERT_E_EXPIRED = 0x800B0101;
    public static final int CERT_E_UNTRUSTEDROOT = 0x800B0109;
    public static final int CERT_E_CHAINING = 0x800B010A;
    public static final int CERT_E_REVOKED = 0x800B010C;
    public static final int CERT_E_UNTRUSTEDTESTROOT = 0x800B010D;
    public static final int CERT_E_WRONG_USAGE = 0x800B0110;
    public static final int TRUST_E_EXPLICIT_DISTRUST = 0x800B0111;
    public static final int TRUST_E_NO_SIGNER_CERT = 0x80096002;
    public static final int TRUST_E_CERT_SIGNATURE = 0x80096004;
    public static final int TRUST_E_BAD_DIGEST = 0x80096010;
    public static final int CRYPT_E_SECURITY_SETTINGS = 0x80092026;
    public static final int CRYPT_E_FILE_ERROR = 0x80092003;

    /** No catalog lists the file's hash (CryptCATAdminEnumCatalogFromHash found none). */
    public static final Integer NO_CATALOG = null;

    /** True when the embedded check found no signature to judge, so the catalogs must be asked. */
    public static boolean tryCatalog(int embedded) {
        return embedded == TRUST_E_NOSIGNATURE || embedded == TRUST_E_SUBJECT_FORM_UNKNOWN
                || embedded == TRUST_E_PROVIDER_UNKNOWN;
    }

    /** What one WinVerifyTrust result means. TRUST_E_NOSIGNATURE & co. mean "no signature": UNSIGNED. */
    public static Signature.Status status(int result) {
        return switch (result) {
            case ERROR_SUCCESS -> Signature.Status.SIGNED;
            case TRUST_E_NOSIGNATURE, TRUST_E_SUBJECT_FORM_UNKNOWN, TRUST_E_PROVIDER_UNKNOWN -> Signature.Status.UNSIGNED;
            case TRUST_E_SUBJECT_NOT_TRUSTED, CERT_E_EXPIRED, CERT_E_UNTRUSTEDROOT, CERT_E_CHAINING, CERT_E_REVOKED,
                 CERT_E_UNTRUSTEDTESTROOT, CERT_E_WRONG_USAGE, TRUST_E_EXPLICIT_DISTRUST, TRUST_E_NO_SIGNER_CERT,
                 TRUST_E_CERT_SIGNATURE, TRUST_E_BAD_DIGEST, CRYPT_E_SECURITY_SETTINGS -> Signature.Status.INVALID;
            default -> Signature.Status.UNKNOWN; // e.g. the file could not be read
        };
    }

    /**
     * @param embedded       WinVerifyTrust on the file itself
     * @param embeddedSigner signer's simple display name when embedded succeeded, else null
     * @param catalog        WinVerifyTrust through the catalog that lists the file's hash, or {@link #NO_CATALOG}
     *                       (also when the catalog was not asked because the embedded check judged a signature)
     * @param catalogSigner  the catalog signer's name when catalog succeeded, else null
     */
    public static Signature combine(int embedded, String embeddedSigner, Integer catalog, String catalogSigner,
                                    String company, String description) {
        if (!tryCatalog(embedded) || catalog == null) {
            Signature.Status s = status(embedded);
            return new Signature(s, s == Signature.Status.SIGNED ? embeddedSigner : null, false, company, description);
        }
        Signature.Status s = status(catalog);
        return new Signature(s, s == Signature.Status.SIGNED ? catalogSigner : null, true, company, description);
    }
}
