package io.sfmcsuppression.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/** The arrows of STYLE.md ("The house"), checked on the compiled main classes. */
class ArchitectureTest {

    private static final String ROOT = "io.sfmcsuppression";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Capabilities: the packages that hold the service's jobs (everything but the shared ground). */
    private static final String[] CAPABILITIES = {ROOT + ".intake..", ROOT + ".engine..", ROOT + ".ledger..",
            ROOT + ".run..", ROOT + ".suppression..", ROOT + ".export..", ROOT + ".consent..", ROOT + ".optout..", ROOT + ".ops..",
            ROOT + ".security..", ROOT + ".observability..", ROOT + ".suppressions..", ROOT + ".console.."};

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

    /**
     * STYLE.md "Data as records; rows never leave their package as JSON": nothing an endpoint answers
     * is a type declared inside a class that talks to the database (a repository's row), so changing
     * a table cannot change the API by accident. Answers are view records of their own.
     */
    @Test
    void resourcesAnswerWithViewsNotRows() {
        methods().that().areDeclaredInClassesThat().haveSimpleNameEndingWith("Resource").and().arePublic()
                .should(answerWithViews())
                .check(MAIN);
    }

    private static ArchCondition<JavaMethod> answerWithViews() {
        return new ArchCondition<>("answer with views, not rows") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                Set<JavaClass> seen = new HashSet<>();
                Deque<JavaClass> todo = new ArrayDeque<>(method.getReturnType().getAllInvolvedRawTypes());
                while (!todo.isEmpty()) {
                    JavaClass type = todo.pop();
                    if (!type.getPackageName().startsWith(ROOT) || !seen.add(type)) {
                        continue;
                    }
                    Optional<JavaClass> enclosing = type.getEnclosingClass();
                    if (enclosing.filter(ArchitectureTest::talksToTheDatabase).isPresent()) {
                        events.add(SimpleConditionEvent.violated(method, method.getFullName() + " answers with "
                                + type.getName() + ", a row of a class that talks to the database"));
                    }
                    type.getFields().stream().filter(f -> !f.getModifiers().contains(JavaModifier.STATIC))
                            .forEach(f -> todo.addAll(f.getType().getAllInvolvedRawTypes()));
                }
            }
        };
    }

    private static boolean talksToTheDatabase(JavaClass type) {
        return type.getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("java.sql")
                        || d.getTargetClass().getPackageName().startsWith("io.agroal"));
    }
}
