package io.bwdoctor.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The pure core depends on no adapter, front end, native call or file/network I/O. */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.bwdoctor");

    @Test
    void coreDependsOnNoAdapterOrFrontEnd() {
        noClasses().that().resideInAPackage("io.bwdoctor.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bwdoctor.capture..", "io.bwdoctor.platform..",
                        "io.bwdoctor.cli..", "io.bwdoctor.engine..", "io.bwdoctor.intel..", "io.bwdoctor.config..",
                        "io.bwdoctor.storage..", "io.bwdoctor.alert..", "io.bwdoctor.metrics..", "io.bwdoctor.guard..",
                        "picocli..", "tools.jackson..")
                .check(CLASSES);
    }

    /** Value types (InetAddress, IOException in interface signatures) are fine; files, streams, sockets are not. */
    @Test
    void coreDoesNoIoAndNoNativeCalls() {
        noClasses().that().resideInAPackage("io.bwdoctor.core..")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.nio.channels..",
                        "java.net.http..")
                .orShould().dependOnClassesThat().haveNameMatching(
                        "java\\.io\\.(File.*|.*Stream|.*Reader|.*Writer|RandomAccessFile)")
                .orShould().dependOnClassesThat().haveNameMatching("java\\.net\\.(.*Socket.*|URL.*|HttpURLConnection)")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.Linker")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.SymbolLookup")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .check(CLASSES);
    }

    @Test
    void adaptersDoNotReachIntoFrontEnds() {
        noClasses().that()
                .resideInAnyPackage("io.bwdoctor.capture..", "io.bwdoctor.platform..", "io.bwdoctor.storage..",
                        "io.bwdoctor.intel..", "io.bwdoctor.config..", "io.bwdoctor.alert..", "io.bwdoctor.metrics..",
                        "io.bwdoctor.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bwdoctor.cli..", "io.bwdoctor.guard..")
                .check(CLASSES);
    }
}
