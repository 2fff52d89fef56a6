package dev.crownest.sandbox.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Points Axon's JDBC auto-configuration (event store, token store, saga store) at the snake_case
 * tables that the Flyway migrations create, and makes handler failures stop the line instead of
 * being logged and skipped.
 */
@Configuration(proxyBeanMethods = false)
public class AxonStorageConfiguration {
    /** Read models: subscribing, so they commit with the events that change them. */
    public static final String PROJECTIONS = "projections";
    /** Kafka publishing: tracking, so the event store is the outbox and the token is the cursor. */
    public static final String KAFKA_PUBLISHER = "kafka-publisher";

    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    SagaSqlSchema sagaSqlSchema() {
        return new PostgresSagaSqlSchema(SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .associationValueEntryTable("association_value_entry")
                .revisionColumn("revision")
                .serializedSagaColumn("serialized_saga")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .sagaIdColumn("saga_id")
                .sagaTypeColumn("saga_type")
                .build());
    }

    /**
     * A failing projection rolls the command back (the read model never silently lags the events); a
     * failing Kafka send keeps the tracking token where it is, and the processor retries with back-off.
     */
    @Bean
    ConfigurerModule failingHandlersStopTheLine() {
        return configurer -> configurer
                .eventProcessing()
                .registerListenerInvocationErrorHandler(PROJECTIONS, c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler(KAFKA_PUBLISHER, c -> PropagatingErrorHandler.instance());
    }
}
