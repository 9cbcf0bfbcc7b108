package io.duckload.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Holds the layering the README's Layout section draws: packages depend downwards only, and no package cycle can
 * come back. A new import against the direction fails the build, naming the classes.
 */
class LayeringTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.duckload");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.duckload.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void layersDependDownwardsOnly() {
        // contracts and failure are the ground floor: every layer may use them (what they may use is held below).
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("contracts").definedBy("io.duckload.contracts..")
                .layer("failure").definedBy("io.duckload.failure..")
                .layer("catalog").definedBy("io.duckload.catalog..")
                .layer("source").definedBy("io.duckload.source..")
                .layer("warehouse").definedBy("io.duckload.warehouse..")
                .layer("outbox").definedBy("io.duckload.outbox..")
                .layer("events").definedBy("io.duckload.events..")
                .layer("ingest").definedBy("io.duckload.ingest..")
                .layer("api").definedBy("io.duckload.api..")
                .layer("metrics").definedBy("io.duckload.metrics..")
                .layer("health").definedBy("io.duckload.health..")
                .whereLayer("health").mayNotBeAccessedByAnyLayer()
                .whereLayer("metrics").mayNotBeAccessedByAnyLayer()
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("api", "metrics")
                .whereLayer("events").mayOnlyBeAccessedByLayers("ingest", "api", "metrics")
                .whereLayer("outbox").mayOnlyBeAccessedByLayers("events", "ingest", "api", "metrics")
                .whereLayer("warehouse").mayOnlyBeAccessedByLayers("outbox", "events", "ingest", "api", "metrics",
                        "health")
                .whereLayer("source").mayOnlyBeAccessedByLayers("warehouse", "outbox", "events", "ingest", "api",
                        "metrics", "health")
                .whereLayer("catalog").mayOnlyBeAccessedByLayers("source", "warehouse", "outbox", "events", "ingest",
                        "api", "metrics", "health")
                .check(main);
    }

    /**
     * The wire contracts are the ground floor: records that any layer may build, read and serialize, depending on
     * nothing of the service and on no library but Jackson's annotations.
     */
    @Test
    void contractsDependOnNothingButTheJdkAndJacksonAnnotations() {
        classes().that().resideInAPackage("io.duckload.contracts..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.duckload.contracts..", "java..", "com.fasterxml.jackson.annotation..")
                .check(main);
    }
}
