package dev.crownest.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every event record is registered for Jackson: a missing one is unreadable to every consumer on Kafka. */
class PlatformEventTypesTest {

    @Test
    void everyEventRecordHasItsJsonTypeName() {
        Set<Class<?>> records = new HashSet<>();
        collect(PlatformEvent.class, records);
        Set<Class<?>> registered = new HashSet<>();
        Arrays.stream(PlatformEvent.class.getAnnotation(JsonSubTypes.class).value())
                .forEach(t -> {
                    registered.add(t.value());
                    assertThat(t.name()).isEqualTo(t.value().getSimpleName());
                });
        assertThat(registered).containsExactlyInAnyOrderElementsOf(records);
    }

    private static void collect(Class<?> type, Set<Class<?>> records) {
        if (type.isRecord()) {
            records.add(type);
        }
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted != null) {
            for (Class<?> sub : permitted) {
                collect(sub, records);
            }
        }
    }
}
