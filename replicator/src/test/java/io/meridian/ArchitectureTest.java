package io.meridian;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;

import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The module boundaries of docs/architecture.md, checked on the compiled classes of every library
 * module (the replicator's test classpath sees them all).
 */
@AnalyzeClasses(packages = "io.meridian", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The packages of the public API. */
    static final Set<String> API_PACKAGES = Set.of("io.meridian", "io.meridian.kv");

    /** (a) The public API shows only its own types and the JDK's: no Raft, WAL, transport, cross-region or failover type. */
    @ArchTest
    static final ArchRule publicApiExposesOnlyApiAndJdkTypes = classes()
            .that().resideInAnyPackage("io.meridian", "io.meridian.kv").and().arePublic()
            .should(exposeOnlyApiAndJdkTypes());

    /** (b) The failover logic is pure: events and time in, actions out; no clock, thread, logger or I/O of its own. */
    @ArchTest
    static final ArchRule failoverIsPure = pure(noClasses().that().resideInAPackage("io.meridian.failover.."));

    /** (b) So are the windows' decisions: the receive side and the shipper's streaming window. */
    @ArchTest
    static final ArchRule windowsArePure = pure(noClasses().that()
            .haveNameMatching("io\\.meridian\\.xregion\\.(ReceiverWindow|ShipStream|InFlightBatches)(\\$.*)?"));

    private static ArchRule pure(GivenClassesConjunction classes) {
        return classes
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "org.slf4j..")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, Clock.class, InstantSource.class)
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis");
    }

    /**
     * (c) wal &lt;- region-raft &lt;- cross-region &lt;- replicator; transport only under cross-region and the
     * replicator; failover and transport depend on nothing of the project, the WAL on nothing either.
     */
    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Replicator").definedBy("io.meridian", "io.meridian.kv..", "io.meridian.support..")
            .layer("CrossRegion").definedBy("io.meridian.xregion..")
            .layer("RegionRaft").definedBy("io.meridian.raft..")
            .layer("Transport").definedBy("io.meridian.transport..")
            .layer("Wal").definedBy("io.meridian.wal..")
            .layer("Failover").definedBy("io.meridian.failover..")
            .whereLayer("Replicator").mayNotBeAccessedByAnyLayer()
            .whereLayer("CrossRegion").mayOnlyBeAccessedByLayers("Replicator")
            .whereLayer("RegionRaft").mayOnlyBeAccessedByLayers("CrossRegion", "Replicator")
            .whereLayer("Transport").mayOnlyBeAccessedByLayers("CrossRegion", "Replicator")
            .whereLayer("Wal").mayOnlyBeAccessedByLayers("RegionRaft", "CrossRegion", "Replicator")
            .whereLayer("Failover").mayOnlyBeAccessedByLayers("RegionRaft", "CrossRegion", "Replicator")
            .whereLayer("Wal").mayNotAccessAnyLayer()
            .whereLayer("Transport").mayNotAccessAnyLayer()
            .whereLayer("Failover").mayNotAccessAnyLayer();

    private static ArchCondition<JavaClass> exposeOnlyApiAndJdkTypes() {
        return new ArchCondition<>("expose only io.meridian / io.meridian.kv and java.. types in public signatures") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                List<JavaType> supertypes = new ArrayList<>(c.getInterfaces());
                c.getSuperclass().ifPresent(supertypes::add);
                for (JavaType t : supertypes) {
                    report(c, c.getName() + " extends/implements", t, events);
                }
                for (JavaMember m : c.getMembers()) {
                    if (!m.getModifiers().contains(JavaModifier.PUBLIC) && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    if (m instanceof JavaField f) {
                        report(c, f.getFullName(), f.getType(), events);
                    } else if (m instanceof JavaCodeUnit u) {
                        report(c, u.getFullName(), u.getReturnType(), events);
                        for (JavaType p : u.getParameterTypes()) {
                            report(c, u.getFullName(), p, events);
                        }
                        for (JavaClass t : u.getExceptionTypes()) {
                            report(c, u.getFullName(), t, events);
                        }
                    }
                }
            }
        };
    }

    private static void report(JavaClass owner, String where, JavaType type, ConditionEvents events) {
        for (JavaClass raw : type.getAllInvolvedRawTypes()) {
            JavaClass base = raw.isArray() ? raw.getBaseComponentType() : raw;
            if (!base.isPrimitive() && !API_PACKAGES.contains(base.getPackageName())
                    && !base.getPackageName().startsWith("java.")) {
                events.add(SimpleConditionEvent.violated(owner, where + " exposes " + base.getName()));
            }
        }
    }
}
