package dev.crownest.contracts;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.crownest.testing.ArchitectureRules;

/** The shared vocabulary's boundaries: its packages free of cycles, nothing of ours and no Spring. */
@AnalyzeClasses(packages = "dev.crownest.contracts", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ArchitectureRules.noPackageCycles("contracts");

    @ArchTest
    static final ArchRule standsAlone = ArchitectureRules.CONTRACTS_STAND_ALONE;

    @ArchTest
    static final ArchRule domainNames = ArchitectureRules.DOMAIN_NAMES;
}
