package io.duckload.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaCodeUnitReference;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The main path of a request, read from the compiled classes: everything reachable from
 * {@code RequestConsumer.consume} by calls and method references (interface calls resolved to their implementations
 * in io.duckload, and the constructors of every class reached, where CDI wires the next hop). No class on it hands
 * the next step to a function-typed field: each hop is a named type a reader (and an IDE) can follow. The README's
 * "Layout" figures come from {@link #measure()}'s line in this test's output.
 */
class MainPathTest {

    /** Off the Kafka in → commit → event out path: the reports' relay runs on threads of its own. */
    private static final Set<String> OFF_PATH = Set.of("io.duckload.outbox.ReportRelay");

    /** The most calls into another package's behaviour the path may make (README "Layout"). */
    private static final int MOST_CROSSINGS = 22;

    private static JavaClasses main;
    private static Set<String> files;
    private static Set<String> calls;

    @BeforeAll
    static void walkThePath() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.duckload");
        files = new TreeSet<>();
        calls = new TreeSet<>();
        Deque<JavaCodeUnit> todo = new ArrayDeque<>(main.get("io.duckload.ingest.RequestConsumer").getMethods()
                .stream().filter(method -> method.getName().equals("consume")).toList());
        Set<JavaCodeUnit> seen = new HashSet<>(todo);
        Set<String> wired = new HashSet<>();
        while (!todo.isEmpty()) {
            JavaCodeUnit unit = todo.poll();
            String from = topLevel(unit.getOwner());
            List<JavaCodeUnit> next = new ArrayList<>();
            files.add(from);
            if (wired.add(from)) {
                next.addAll(main.get(from).getConstructors());
            }
            for (JavaAccess<?> access : unit.getAccessesFromSelf()) {
                if ((access instanceof JavaCall || access instanceof JavaCodeUnitReference)
                        && access.getTargetOwner().getName().startsWith("io.duckload")) {
                    access.getTarget().resolveMember().ifPresent(member -> {
                        if (member instanceof JavaCodeUnit target) {
                            next.add(target);
                            next.addAll(implementations(target));
                        }
                    });
                }
            }
            for (JavaCodeUnit target : next) {
                String to = topLevel(target.getOwner());
                if (OFF_PATH.contains(to) || !to.startsWith("io.duckload.")) {
                    continue;
                }
                // The class that owns the target, not its top-level class: a nested record (Ledger.Entry) is data.
                if (!pkg(to).equals(pkg(from)) && behaviour(target.getOwner())) {
                    calls.add(unit.getFullName() + " -> " + target.getFullName());
                }
                files.add(to);
                if (seen.add(target)) {
                    todo.add(target);
                }
            }
        }
    }

    @Test
    void noNextHopIsAFunctionTypedField() {
        List<String> hops = files.stream().map(main::get).flatMap(c -> c.getAllFields().stream())
                .filter(field -> field.getOwner().getName().startsWith("io.duckload"))
                .filter(field -> field.getRawType().getPackageName().equals("java.util.function"))
                // A guard that answers "am I on the writer thread?", not a step of the story.
                .filter(field -> !field.getFullName().equals("io.duckload.warehouse.WriterFile.onWriterThread"))
                .map(field -> field.getFullName() + " : " + field.getRawType().getSimpleName()).toList();
        assertThat(hops).isEmpty();
    }

    @Test
    void measure() {
        long withBehaviour = files.stream().map(main::get).filter(MainPathTest::behaviour).count();
        System.out.printf("Main path: %d files (%d with behaviour), %d calls into another package's behaviour%n",
                files.size(), withBehaviour, calls.size());
        calls.forEach(call -> System.out.println("  " + call));
        // README "Layout" gives this figure; issue 32 halved it (49 -> 22). A new call into another package's
        // behaviour on the path must be a deliberate choice: raise the bound and the README's figure together.
        assertThat(calls).as("calls into another package's behaviour on the main path").hasSizeLessThanOrEqualTo(
                MOST_CROSSINGS);
        assertThat(files).contains("io.duckload.ingest.LoadService", "io.duckload.ingest.SourceStage",
                "io.duckload.ingest.GroupCommit", "io.duckload.ingest.LoadCommit", "io.duckload.ingest.Announcer",
                "io.duckload.outbox.EventPublisher", "io.duckload.warehouse.Writer");
    }

    /** Implementations in io.duckload of an interface's (or a class's) method. */
    private static List<JavaCodeUnit> implementations(JavaCodeUnit method) {
        List<JavaCodeUnit> found = new ArrayList<>();
        for (JavaClass sub : method.getOwner().getAllSubclasses()) {
            sub.getCodeUnits().stream().filter(candidate -> candidate.getName().equals(method.getName())
                    && candidate.getRawParameterTypes().equals(method.getRawParameterTypes())).forEach(found::add);
        }
        return found;
    }

    /** Code that does something: not a record, enum, interface or exception, nor the catalog/failure vocabulary. */
    private static boolean behaviour(JavaClass type) {
        String pkg = pkg(type.getName());
        return !type.isRecord() && !type.isEnum() && !type.isInterface() && !pkg.equals("io.duckload.catalog")
                && !pkg.equals("io.duckload.failure") && !type.isAssignableTo(RuntimeException.class);
    }

    private static String topLevel(JavaClass type) {
        String name = type.getName();
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    private static String pkg(String name) {
        return name.substring(0, name.lastIndexOf('.'));
    }
}
