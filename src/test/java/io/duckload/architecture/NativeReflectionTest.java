package io.duckload.architecture;

import static com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every record that Jackson writes or reads in the API and the wire events is registered for reflection by a
 * {@code NativeReflection} (directly or as a nested class of a target): a record missing there serializes as
 * {@code {}} or fails in the native executable only. The wire contracts depend on nothing of Quarkus, so the events
 * package, which serializes them, registers them.
 */
class NativeReflectionTest {

    /** Records that live in memory only, never serialized: a commit's events and reports on their way out. */
    private static final Set<String> NEVER_SERIALIZED = Set.of("io.duckload.events.EventFactory$Announcement");

    @ParameterizedTest
    @CsvSource({ "io.duckload.api, io.duckload.api.NativeReflection",
            "io.duckload.contracts, io.duckload.events.NativeReflection",
            "io.duckload.events, io.duckload.events.NativeReflection" })
    void everyRecordOfThePackageIsRegistered(String packageName, String registeredBy) throws Exception {
        RegisterForReflection registration = Class.forName(registeredBy).getAnnotation(RegisterForReflection.class);
        Set<Class<?>> registered = new HashSet<>();
        for (Class<?> target : registration.targets()) {
            withNested(target, registered);
        }

        List<String> missing = new ClassFileImporter().withImportOption(DO_NOT_INCLUDE_TESTS)
                .importPackages(packageName).stream().filter(type -> type.getPackageName().equals(packageName))
                .map(JavaClass::reflect).filter(Class::isRecord).filter(type -> !registered.contains(type))
                .map(Class::getName).filter(name -> !NEVER_SERIALIZED.contains(name)).sorted().toList();

        assertThat(missing).isEmpty();
    }

    private static void withNested(Class<?> type, Set<Class<?>> registered) {
        registered.add(type);
        for (Class<?> nested : type.getDeclaredClasses()) {
            withNested(nested, registered);
        }
    }
}
