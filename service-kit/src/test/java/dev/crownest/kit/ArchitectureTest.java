package dev.crownest.kit;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.crownest.testing.ArchitectureRules;

/** The kit's boundaries: its packages free of cycles, and no service's classes in what every service shares. */
@AnalyzeClasses(packages = "dev.crownest.kit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule boundaries = ArchitectureRules.serviceBoundaries("kit");
}
