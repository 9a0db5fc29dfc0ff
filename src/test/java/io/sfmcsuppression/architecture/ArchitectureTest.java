package io.sfmcsuppression.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The arrows of STYLE.md ("The house"), checked on the compiled main classes. */
class ArchitectureTest {

    private static final String ROOT = "io.sfmcsuppression";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Capabilities: the packages that hold the service's jobs (everything but the shared ground). */
    private static final String[] CAPABILITIES = {ROOT + ".intake..", ROOT + ".engine..", ROOT + ".ledger..",
            ROOT + ".run..", ROOT + ".suppression..", ROOT + ".export..", ROOT + ".consent..", ROOT + ".history..",
            ROOT + ".status..", ROOT + ".security..", ROOT + ".observability.."};

    @Test
    void sfmcConfigAndWebImportNoCapability() {
        noClasses().that().resideInAnyPackage(ROOT + ".sfmc..", ROOT + ".config..", ROOT + ".web..")
                .should().dependOnClassesThat().resideInAnyPackage(CAPABILITIES)
                .check(MAIN);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void resourcesCallServicesNotRepositories() {
        noClasses().that().haveSimpleNameEndingWith("Resource")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .check(MAIN);
    }
}
