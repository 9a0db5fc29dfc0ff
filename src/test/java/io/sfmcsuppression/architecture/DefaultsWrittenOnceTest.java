package io.sfmcsuppression.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Each default is written once: on its {@code @ConfigMapping} key ({@code @WithDefault}), never
 * again in {@code application.properties} (profile values such as {@code %test.} are not defaults)
 * nor as a {@code ${key:fallback}} of an annotation.
 */
class DefaultsWrittenOnceTest {

    @Test
    void noKeyWithAMappingDefaultIsSetAgainInApplicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Set<String> keysWithDefaults = keysWithDefaults();
        assertThat(keysWithDefaults).as("the mappings were found").hasSizeGreaterThan(30);
        Set<String> writtenTwice = new TreeSet<>(properties.stringPropertyNames());
        writtenTwice.removeIf(key -> key.startsWith("%"));
        writtenTwice.retainAll(keysWithDefaults);
        assertThat(writtenTwice).as("keys whose @WithDefault application.properties repeats").isEmpty();
    }

    @Test
    void noScheduleRepeatsADefaultAsAFallback() {
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sfmcsuppression")) {
            c.getMethods().stream().filter(m -> m.isAnnotatedWith(io.quarkus.scheduler.Scheduled.class))
                    .forEach(m -> assertThat(m.getAnnotationOfType(io.quarkus.scheduler.Scheduled.class).every())
                            .as(m.getFullName()).doesNotMatch(".*\\$\\{[^}]*:[^}]*}.*"));
        }
    }

    private static Set<String> keysWithDefaults() {
        Set<String> keys = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sfmcsuppression")) {
            if (c.isAnnotatedWith(ConfigMapping.class)) {
                collect(c.reflect(), c.getAnnotationOfType(ConfigMapping.class).prefix(), keys);
            }
        }
        return keys;
    }

    /** The keys of a mapping or group with a default; groups nested by their method name (maps and lists are data, not defaults). */
    private static void collect(Class<?> mapping, String prefix, Set<String> keys) {
        for (Method m : mapping.getMethods()) {
            if (m.getParameterCount() > 0 || m.isDefault() || m.getDeclaringClass() == Object.class) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            if (m.isAnnotationPresent(WithDefault.class)) {
                keys.add(key);
            } else if (m.getReturnType().isInterface() && m.getReturnType().getName().startsWith("io.sfmcsuppression")) {
                collect(m.getReturnType(), key, keys);
            }
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
