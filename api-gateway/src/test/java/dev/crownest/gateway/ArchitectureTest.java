package dev.crownest.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.crownest.testing.ArchitectureRules;

/**
 * The gateway's boundaries: those of every service, and {@code route} (the router, which knows every
 * handler) known by nothing else, so handlers reach the services through {@code upstream} alone.
 */
@AnalyzeClasses(packages = "dev.crownest.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule boundaries = ArchitectureRules.serviceBoundaries("gateway");

    @ArchTest
    static final ArchRule onlyTheRouterKnowsTheRoutes = noClasses()
            .that()
            .resideOutsideOfPackage("dev.crownest.gateway.route..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.crownest.gateway.route..")
            .because("route wires every handler; handlers call the services through upstream");
}
