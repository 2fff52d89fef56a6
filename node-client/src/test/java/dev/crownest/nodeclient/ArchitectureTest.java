package dev.crownest.nodeclient;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.crownest.testing.ArchitectureRules;

/**
 * The node client's boundaries: no service's classes, and a protocol package (which the node agent
 * serves, without the client's web stack) that needs nothing of the client.
 */
@AnalyzeClasses(packages = "dev.crownest.nodeclient", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noOtherServiceClasses = ArchitectureRules.noOtherServiceClasses("nodeclient");

    @ArchTest
    static final ArchRule protocolStandsAlone = noClasses()
            .that()
            .resideInAPackage("dev.crownest.nodeclient.protocol..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "reactor..", "io.netty..")
            .orShould()
            .dependOnClassesThat()
            .haveNameMatching("dev\\.crownest\\.nodeclient\\.[^.]+")
            .because("the node agent uses the protocol without the client's web stack");

    @ArchTest
    static final ArchRule domainNames = ArchitectureRules.DOMAIN_NAMES;
}
