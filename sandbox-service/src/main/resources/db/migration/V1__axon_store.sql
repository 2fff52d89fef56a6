-- Axon Framework's JDBC tables for PostgreSQL, as PostgresEventTableFactory, PostgresTokenTableFactory
-- and PostgresSagaSqlSchema would create them, with the snake_case names configured in AxonStorageConfiguration.
-- Payloads and tokens are BYTEA (the JDBC engine's default byte[] data type); Axon never creates tables itself.

CREATE TABLE domain_event_entry (
    global_index         BIGSERIAL    NOT NULL,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    event_identifier     VARCHAR(255) NOT NULL,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (global_index),
    UNIQUE (aggregate_identifier, sequence_number),
    UNIQUE (event_identifier)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (aggregate_identifier, sequence_number),
    UNIQUE (event_identifier)
);

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA        NULL,
    token_type     VARCHAR(255) NULL,
    timestamp      VARCHAR(255) NULL,
    owner          VARCHAR(255) NULL,
    PRIMARY KEY (processor_name, segment)
);

-- The saga store bean exists whenever Axon's JDBC auto-configuration runs; no saga uses it yet.
CREATE TABLE association_value_entry (
    id                BIGSERIAL    NOT NULL,
    association_key   VARCHAR(255),
    association_value VARCHAR(255),
    saga_id           VARCHAR(255),
    saga_type         VARCHAR(255),
    PRIMARY KEY (id)
);
CREATE INDEX association_value_entry_type_key_value ON association_value_entry (saga_type, association_key, association_value);
CREATE INDEX association_value_entry_saga ON association_value_entry (saga_id, saga_type);

CREATE TABLE saga_entry (
    saga_id         VARCHAR(255) NOT NULL,
    revision        VARCHAR(255),
    saga_type       VARCHAR(255),
    serialized_saga BYTEA,
    PRIMARY KEY (saga_id)
);
