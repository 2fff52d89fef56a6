package dev.crownest.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;

/**
 * The module and package boundaries every module checks in its {@code ArchitectureTest}, so that
 * {@code mvn verify} fails when one is crossed. A module names its root package, e.g. {@code gateway}
 * for {@code dev.crownest.gateway}.
 */
public final class ArchitectureRules {

    /** The root packages of the service modules. */
    private static final List<String> SERVICES =
            List.of("sandbox", "worker", "node", "metering", "billing", "audit", "gateway");

    /** Names that say nothing of what a class is for. */
    public static final ArchRule DOMAIN_NAMES = noClasses()
            .should()
            .haveSimpleNameEndingWith("Manager")
            .orShould()
            .haveSimpleNameEndingWith("Helper")
            .orShould()
            .haveSimpleNameEndingWith("Util")
            .orShould()
            .haveSimpleNameEndingWith("Utils")
            .because("a class is named for what it is in the domain");

    /** The shared vocabulary: records and names only, usable by any service whatever its web stack. */
    public static final ArchRule CONTRACTS_STAND_ALONE = noClasses()
            .that()
            .resideInAPackage("dev.crownest.contracts..")
            .should()
            .dependOnClassesThat(
                    resideInAPackage("dev.crownest..").and(not(resideInAPackage("dev.crownest.contracts.."))))
            .orShould()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework..")
            .because("every module depends on contracts, and contracts on nothing of ours and no Spring");

    private ArchitectureRules() {}

    /**
     * What every service module and the kit hold, as one rule: its packages free of cycles, no other
     * service's classes, domain names.
     */
    public static ArchRule serviceBoundaries(String root) {
        return CompositeArchRule.of(noPackageCycles(root))
                .and(noOtherServiceClasses(root))
                .and(DOMAIN_NAMES);
    }

    /** No two packages below {@code dev.crownest.<root>} depend on each other, directly or round about. */
    public static ArchRule noPackageCycles(String root) {
        return slices().matching("dev.crownest." + root + ".(*)..")
                .should()
                .beFreeOfCycles()
                .as("packages of dev.crownest." + root + " are free of cycles");
    }

    /** The module under {@code dev.crownest.<root>} uses no service module's classes but its own. */
    public static ArchRule noOtherServiceClasses(String root) {
        String[] others = SERVICES.stream()
                .filter(service -> !service.equals(root))
                .map(service -> "dev.crownest." + service + "..")
                .toArray(String[]::new);
        return noClasses()
                .that()
                .resideInAPackage("dev.crownest." + root + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("services talk over HTTP and Kafka, never through each other's classes");
    }
}
