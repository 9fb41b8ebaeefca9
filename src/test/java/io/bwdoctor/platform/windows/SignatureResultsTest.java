package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Signature;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureResultsTest {
    @Test
    void embeddedThenCatalog() {
        assertThat(SignatureResults.combine(0, "Amazon.com Services LLC", null, null, "Amazon.com, Inc.", "SSM"))
                .isEqualTo(new Signature(Signature.Status.SIGNED, "Amazon.com Services LLC", false, "Amazon.com, Inc.", "SSM"));
        // inbox binaries: no embedded signature, signed through a catalog
        assertThat(SignatureResults.combine(SignatureResults.TRUST_E_NOSIGNATURE, null, 0, "Microsoft Windows", null, null))
                .isEqualTo(new Signature(Signature.Status.SIGNED, "Microsoft Windows", true, null, null));
        // no embedded signature and no catalog lists the hash: unsigned
        assertThat(SignatureResults.combine(SignatureResults.TRUST_E_NOSIGNATURE, null, SignatureResults.NO_CATALOG,
                null, "Microsoft Corporation", null).status()).isEqualTo(Signature.Status.UNSIGNED);
        // a tampered or distrusted signature is never rescued by a catalog
        assertThat(SignatureResults.combine(SignatureResults.TRUST_E_BAD_DIGEST, "x", 0, "Microsoft Windows", null, null))
                .isEqualTo(new Signature(Signature.Status.INVALID, null, false, null, null));
        assertThat(SignatureResults.status(SignatureResults.TRUST_E_EXPLICIT_DISTRUST)).isEqualTo(Signature.Status.INVALID);
        assertThat(SignatureResults.status(SignatureResults.CRYPT_E_FILE_ERROR)).isEqualTo(Signature.Status.UNKNOWN);
        assertThat(SignatureResults.combine(SignatureResults.TRUST_E_NOSIGNATURE, null, SignatureResults.CERT_E_REVOKED,
                "Revoked Inc", null, null)).isEqualTo(new Signature(Signature.Status.INVALID, null, true, null, null));
    }

    @Test
    void cacheVerifiesEachFileVersionOnce() {
        SignatureCache cache = new SignatureCache(2);
        AtomicInteger verifications = new AtomicInteger();
        java.util.function.Function<SignatureCache.FileKey, Signature> verify = k -> {
            verifications.incrementAndGet();
            return Signature.UNKNOWN;
        };
        cache.get(new SignatureCache.FileKey("C:\\Windows\\System32\\svchost.exe", 100, 1), verify);
        cache.get(new SignatureCache.FileKey("c:\\windows\\system32\\SVCHOST.EXE", 100, 1), verify);
        assertThat(verifications).hasValue(1);
        cache.get(new SignatureCache.FileKey("C:\\Windows\\System32\\svchost.exe", 100, 2), verify); // replaced
        assertThat(verifications).hasValue(2);
        cache.get(new SignatureCache.FileKey("a", 1, 1), verify);
        assertThat(cache.size()).isEqualTo(2);
    }
}
