package dev.crownest.billing;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.crownest.testing.ArchitectureRules;

/** This service's boundaries: its packages free of cycles, and no other service's classes (they talk over HTTP and Kafka). */
@AnalyzeClasses(packages = "dev.crownest.billing", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule boundaries = ArchitectureRules.serviceBoundaries("billing");
}
